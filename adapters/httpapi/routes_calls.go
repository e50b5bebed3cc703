package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
)

// CallService is what the call routes need of application/calls
// (*calls.Service).
type CallService interface {
	IssueToken(ctx context.Context, c command.Context, cmd calls.IssueToken) (calls.Token, error)
	InviteGuest(ctx context.Context, c command.Context, cmd calls.InviteGuest) (calls.Token, error)
	Join(ctx context.Context, cmd calls.Join) (calls.Joined, error)
	Renegotiate(ctx context.Context, p calls.ParticipantRequest, offerSDP string) (string, error)
	Leave(ctx context.Context, p calls.ParticipantRequest) error
	ICEServers(ctx context.Context, visit domain.VisitID, token string) ([]calls.ICEServer, error)
}

// Media types of the WHIP-style routes.
const (
	mediaSDP  = "application/sdp"
	mediaJSON = "application/json"
)

const callsDescription = `Calls are joined WHIP-style (RFC 9725, without trickle ICE): the client gathers ICE candidates completely, then POSTs its offer with its join token as Bearer and gets the complete answer (every relay candidate included) in the 201 response, with the participant's resource URL in Location. The same token, now spent, authorises that resource only: PATCH it with a new offer (screen share) or DELETE it to leave.

Offers and answers are plain SDP (Content-Type: application/sdp, as WHIP) or JSON {"sdp": "…"} (Content-Type: application/json, answered as {"participantId", "role", "sdp", "location"}). The offer must open the data channels "signalling" and "chat"; later relay offers arrive on "signalling".

A join token is single-use, valid two minutes (guest links ten), bound to one visit's call and one role, and relayed by the app instance that issued it. A missing, forged, expired, spent or foreign token is 401 and reaches no relay.`

type callTokenOutput struct {
	Body CallToken
}

// CallToken is a join token and where to use it. The token is a secret for
// its holder only.
type CallToken struct {
	Token         string    `json:"token" maxLength:"128" doc:"Single-use join token: send it as 'Authorization: Bearer …' to whipUrl (and, once spent, to the participant's resource URL)"`
	Role          string    `json:"role" enum:"citizen,clerk,interpreter,colleague" doc:"The role the token joins as"`
	ParticipantID string    `json:"participantId" maxLength:"64" doc:"The participant ID the token will join as (random, no personal data)"`
	ExpiresAt     time.Time `json:"expiresAt" maxLength:"40" doc:"The token is refused from this instant"`
	WHIPURL       string    `json:"whipUrl" maxLength:"200" doc:"Where to POST the SDP offer (join-call)"`
	ICEServersURL string    `json:"iceServersUrl" maxLength:"200" doc:"Where to get TURN servers for this token before creating the offer (get-ice-servers)"`
}

type callVisitInput struct {
	VisitID string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
}

type inviteGuestInput struct {
	VisitID string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
	Body    struct {
		Role string `json:"role" enum:"interpreter,colleague" doc:"Who is invited"`
	}
}

// The WHIP-style inputs repeat their fields: Huma does not fill header
// and path parameters of embedded structs.
type joinCallInput struct {
	VisitID       string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
	Authorization string `header:"Authorization" maxLength:"200" doc:"Bearer and the join token"`
	ContentType   string `header:"Content-Type" maxLength:"100" doc:"application/sdp or application/json"`
	RawBody       []byte `contentType:"application/sdp"`
}

type participantInput struct {
	VisitID       string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
	ParticipantID string `path:"participantId" maxLength:"64" doc:"Participant ID from join-call"`
	Authorization string `header:"Authorization" maxLength:"200" doc:"Bearer and the participant's (spent) join token"`
}

type renegotiateInput struct {
	VisitID       string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
	ParticipantID string `path:"participantId" maxLength:"64" doc:"Participant ID from join-call"`
	Authorization string `header:"Authorization" maxLength:"200" doc:"Bearer and the participant's (spent) join token"`
	ContentType   string `header:"Content-Type" maxLength:"100" doc:"application/sdp or application/json"`
	RawBody       []byte `contentType:"application/sdp"`
}

type sdpOutput struct {
	Status      int
	Location    string `header:"Location" maxLength:"200"`
	ContentType string `header:"Content-Type" maxLength:"100"`
	Body        []byte
}

// maxSDP bounds offers and answers in the documents; the body limit of the
// API (64 KiB by default) is what enforces it.
const maxSDP = 60000

// limitSDPBody bounds the SDP request body Huma documents for RawBody.
func (a *API) limitSDPBody(method, path string) {
	item := a.huma.OpenAPI().Paths[BasePath+path]
	if item == nil {
		return
	}
	op := item.Post
	if method == http.MethodPatch {
		op = item.Patch
	}
	if op != nil && op.RequestBody != nil {
		if mt := op.RequestBody.Content[mediaSDP]; mt != nil && mt.Schema != nil {
			mt.Schema.MaxLength = ptr(maxSDP)
		}
	}
}

type iceServersOutput struct {
	Body struct {
		ICEServers []ICEServer `json:"iceServers" maxItems:"8" doc:"For RTCPeerConnection's iceServers; empty when the relay has no TURN server"`
	}
}

// ICEServer is one entry of RTCConfiguration.iceServers.
type ICEServer struct {
	URLs       []string `json:"urls" maxItems:"8" maxLength:"300"`
	Username   string   `json:"username,omitempty" maxLength:"200"`
	Credential string   `json:"credential,omitempty" maxLength:"200"`
}

// sdpJSON is the JSON form of an offer or answer.
type sdpJSON struct {
	SDP string `json:"sdp"`
}

func sdpRequestBody() *huma.RequestBody {
	return &huma.RequestBody{
		Required:    true,
		Description: "The complete SDP offer (ICE gathering finished, no trickle).",
		Content: map[string]*huma.MediaType{
			mediaJSON: {Schema: &huma.Schema{Type: "object", Description: "{\"sdp\": \"…\"}; sdp is required (checked after the token)", Properties: map[string]*huma.Schema{
				"sdp": {Type: "string", MaxLength: ptr(maxSDP), Description: "The SDP offer"},
			}}},
		},
	}
}

func sdpResponse(status int, desc string, withLocation bool) map[string]*huma.Response {
	r := &huma.Response{
		Description: desc,
		Content: map[string]*huma.MediaType{
			mediaSDP: {Schema: &huma.Schema{Type: "string", MaxLength: ptr(maxSDP), Description: "The complete SDP answer"}},
			mediaJSON: {Schema: &huma.Schema{Type: "object", Properties: map[string]*huma.Schema{
				"participantId": {Type: "string", MaxLength: ptr(64)}, "role": {Type: "string", MaxLength: ptr(16)},
				"sdp": {Type: "string", MaxLength: ptr(maxSDP)}, "location": {Type: "string", MaxLength: ptr(200)},
			}}},
		},
	}
	if withLocation {
		r.Headers = map[string]*huma.Param{"Location": {Description: "The participant's resource URL", Schema: &huma.Schema{Type: "string", MaxLength: ptr(200)}}}
	}
	return map[string]*huma.Response{strconv.Itoa(status): r}
}

func registerCallRoutes(a *API) {
	visitHolder := Permission{Audience: Citizen | Clerk, Subject: SubjectVisit, SubjectParam: "visitId"}
	tokenHolder := Permission{Audience: Anyone} // the call service checks the join token (401)
	Register(a, huma.Operation{
		OperationID: "issue-call-token", Method: http.MethodPost, Path: "/visits/{visitId}/call/token", DefaultStatus: http.StatusCreated,
		Summary:     "Get a join token for a visit's call",
		Description: "The citizen (with the visit's capability token) or the clerk who admitted the visit gets a fresh single-use join token, once the visit is admitted; a newer token replaces the holder's older unspent one. The first token opens the call on this app instance.\n\n" + callsDescription,
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusServiceUnavailable},
	}, visitHolder, a.issueCallToken)
	Register(a, huma.Operation{
		OperationID: "invite-call-guest", Method: http.MethodPost, Path: "/visits/{visitId}/call/guests", DefaultStatus: http.StatusCreated,
		Summary:     "Invite an interpreter or a colleague into a visit's call",
		Description: "Only the clerk who admitted the visit; at most two guests, invited or present. The guest's join token is single-use and valid ten minutes; pass it on by a channel of your choice.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusServiceUnavailable},
	}, Permission{Audience: Clerk}, a.inviteCallGuest)
	Register(a, huma.Operation{
		OperationID: "join-call", Method: http.MethodPost, Path: "/visits/{visitId}/call/participants", DefaultStatus: http.StatusCreated,
		Summary: "Join a visit's call (WHIP offer)", Description: callsDescription,
		RequestBody: sdpRequestBody(), SkipValidateBody: true, // two media types, read by offerOf after the token check
		Responses: sdpResponse(http.StatusCreated, "Joined: the complete SDP answer", true),
		Errors:    []int{http.StatusUnauthorized, http.StatusConflict, http.StatusUnsupportedMediaType, http.StatusServiceUnavailable},
	}, tokenHolder, a.joinCall)
	a.limitSDPBody(http.MethodPost, "/visits/{visitId}/call/participants")
	Register(a, huma.Operation{
		OperationID: "renegotiate-call", Method: http.MethodPatch, Path: "/visits/{visitId}/call/participants/{participantId}",
		Summary:     "Send a new offer (screen share)",
		Description: "With the participant's (spent) join token. 409 negotiation_in_progress: answer the relay's pending offer on the signalling channel first, then try again.\n\n" + callsDescription,
		RequestBody: sdpRequestBody(), SkipValidateBody: true,
		Responses: sdpResponse(http.StatusOK, "The complete SDP answer", false),
		Errors:    []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict, http.StatusUnsupportedMediaType, http.StatusServiceUnavailable},
	}, tokenHolder, a.renegotiateCall)
	a.limitSDPBody(http.MethodPatch, "/visits/{visitId}/call/participants/{participantId}")
	Register(a, huma.Operation{
		OperationID: "leave-call", Method: http.MethodDelete, Path: "/visits/{visitId}/call/participants/{participantId}", DefaultStatus: http.StatusNoContent,
		Summary:     "Leave a visit's call",
		Description: "With the participant's (spent) join token. When the last participant has left, the visit ends.",
		Errors:      []int{http.StatusUnauthorized, http.StatusServiceUnavailable},
	}, tokenHolder, a.leaveCall)
	Register(a, huma.Operation{
		OperationID: "get-ice-servers", Method: http.MethodGet, Path: "/visits/{visitId}/call/ice-servers",
		Summary:     "TURN servers for a join token",
		Description: "With an unspent join token, which stays unspent: short-lived TURN credentials for the embedded TURN server, bound to the token's participant. Empty when no TURN server runs.",
		Errors:      []int{http.StatusUnauthorized, http.StatusServiceUnavailable},
	}, tokenHolder, a.getICEServers)
}

// callService returns the calls service, or 503 when the API was built
// without one.
func (a *API) callService() (CallService, error) {
	if a.deps.Calls == nil {
		return nil, errNotWired
	}
	return a.deps.Calls, nil
}

// callProblem maps the call service's errors that the domain categories do
// not express: a bad join token is 401, a relay at capacity 503.
func callProblem(err error) error {
	switch {
	case errors.Is(err, calls.ErrUnauthorized):
		p := NewProblem(http.StatusUnauthorized, "call_token_invalid", "the call token is missing, invalid, expired or already used")
		p.GetHeaders().Set("WWW-Authenticate", `Bearer realm="buergerbuero-call"`)
		return p
	case errors.Is(err, calls.ErrBusy):
		p := NewProblem(http.StatusServiceUnavailable, CodeUnavailable, "")
		p.GetHeaders().Set("Retry-After", "5")
		return p
	}
	return err
}

func (a *API) callTokenOf(t calls.Token) CallToken {
	base := BasePath + "/visits/" + t.VisitID.String() + "/call"
	return CallToken{
		Token: t.Token, Role: t.Role.String(), ParticipantID: t.ParticipantID, ExpiresAt: t.ExpiresAt,
		WHIPURL: base + "/participants", ICEServersURL: base + "/ice-servers",
	}
}

func (a *API) issueCallToken(ctx context.Context, in *callVisitInput) (*callTokenOutput, error) {
	svc, err := a.callService()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.visitId", in.VisitID, domain.ParseID[domain.VisitID])
	if err != nil {
		return nil, err
	}
	t, err := svc.IssueToken(ctx, CommandContext(ctx), calls.IssueToken{VisitID: id, VisitToken: a.citizenToken(ctx)})
	if err != nil {
		return nil, callProblem(err)
	}
	return &callTokenOutput{Body: a.callTokenOf(t)}, nil
}

func (a *API) inviteCallGuest(ctx context.Context, in *inviteGuestInput) (*callTokenOutput, error) {
	svc, err := a.callService()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.visitId", in.VisitID, domain.ParseID[domain.VisitID])
	if err != nil {
		return nil, err
	}
	role, err := calls.ParseRole(in.Body.Role)
	if err != nil {
		return nil, invalidField("body.role", "must be interpreter or colleague")
	}
	t, err := svc.InviteGuest(ctx, CommandContext(ctx), calls.InviteGuest{VisitID: id, Role: role})
	if err != nil {
		return nil, callProblem(err)
	}
	return &callTokenOutput{Body: a.callTokenOf(t)}, nil
}

// bearerOf returns the token of "Bearer <token>", or "".
func bearerOf(h string) string {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// offerOf reads the SDP offer of a body in either media type and reports
// whether the answer goes out as JSON. A body it cannot read gives an
// empty offer and the problem to answer once the token has been checked
// (the call service checks the token first, so a bad token is 401 whatever
// the body).
func offerOf(contentType string, body []byte) (offer string, asJSON bool, err error) {
	mt, _, perr := mime.ParseMediaType(contentType)
	switch {
	case perr == nil && mt == mediaSDP:
		offer = string(body)
	case perr == nil && mt == mediaJSON:
		var b sdpJSON
		if err := json.Unmarshal(body, &b); err != nil {
			return "", false, invalidField("body", "must be JSON with an sdp string")
		}
		offer, asJSON = b.SDP, true
	default:
		return "", false, NewProblem(http.StatusUnsupportedMediaType, "unsupported_media_type", "send application/sdp or application/json")
	}
	if strings.TrimSpace(offer) == "" {
		return "", false, invalidField("body", "the SDP offer is empty")
	}
	return offer, asJSON, nil
}

// bodyProblem prefers the body's own problem (415, 422) to the service's
// invalid offer, which an unreadable body becomes.
func bodyProblem(err, bodyErr error) error {
	if bodyErr != nil && errors.Is(err, calls.ErrInvalidOffer) {
		return bodyErr
	}
	return err
}

// clientAddrOf is the caller's address as the rate limits see it (behind
// trusted proxies: the forwarded one), for the relay's per-address limit.
func clientAddrOf(ctx context.Context) netip.Addr {
	if sc := scopeOf(ctx); sc != nil {
		if a, err := netip.ParseAddr(sc.clientAddr); err == nil {
			return a
		}
		if p, err := netip.ParsePrefix(sc.clientAddr); err == nil {
			return p.Addr()
		}
	}
	return netip.IPv4Unspecified()
}

func (a *API) joinCall(ctx context.Context, in *joinCallInput) (*sdpOutput, error) {
	svc, err := a.callService()
	if err != nil {
		return nil, err
	}
	id, err := domain.ParseID[domain.VisitID](in.VisitID)
	if err != nil {
		return nil, invalidField("path.visitId", "must be a UUID")
	}
	token := bearerOf(in.Authorization)
	if token == "" {
		return nil, callProblem(calls.ErrUnauthorized)
	}
	offer, asJSON, bodyErr := offerOf(in.ContentType, in.RawBody)
	j, err := svc.Join(ctx, calls.Join{VisitID: id, Token: token, OfferSDP: offer, ClientAddr: clientAddrOf(ctx)})
	if err != nil {
		return nil, callProblem(bodyProblem(err, bodyErr))
	}
	loc := BasePath + "/visits/" + id.String() + "/call/participants/" + j.ParticipantID
	out := &sdpOutput{Status: http.StatusCreated, Location: loc, ContentType: mediaSDP, Body: []byte(j.AnswerSDP)}
	if asJSON {
		out.ContentType = mediaJSON
		out.Body, _ = json.Marshal(map[string]string{"participantId": j.ParticipantID, "role": j.Role.String(), "sdp": j.AnswerSDP, "location": loc})
	}
	return out, nil
}

func participantOf(in participantInput) (calls.ParticipantRequest, error) {
	id, err := domain.ParseID[domain.VisitID](in.VisitID)
	if err != nil {
		return calls.ParticipantRequest{}, invalidField("path.visitId", "must be a UUID")
	}
	token := bearerOf(in.Authorization)
	if token == "" {
		return calls.ParticipantRequest{}, callProblem(calls.ErrUnauthorized)
	}
	return calls.ParticipantRequest{VisitID: id, ParticipantID: in.ParticipantID, Token: token}, nil
}

func (a *API) renegotiateCall(ctx context.Context, in *renegotiateInput) (*sdpOutput, error) {
	svc, err := a.callService()
	if err != nil {
		return nil, err
	}
	p, err := participantOf(participantInput{VisitID: in.VisitID, ParticipantID: in.ParticipantID, Authorization: in.Authorization})
	if err != nil {
		return nil, err
	}
	offer, asJSON, bodyErr := offerOf(in.ContentType, in.RawBody)
	answer, err := svc.Renegotiate(ctx, p, offer)
	if err != nil {
		return nil, callProblem(bodyProblem(err, bodyErr))
	}
	out := &sdpOutput{Status: http.StatusOK, ContentType: mediaSDP, Body: []byte(answer)}
	if asJSON {
		out.ContentType = mediaJSON
		out.Body, _ = json.Marshal(sdpJSON{SDP: answer})
	}
	return out, nil
}

func (a *API) leaveCall(ctx context.Context, in *participantInput) (*struct{}, error) {
	svc, err := a.callService()
	if err != nil {
		return nil, err
	}
	p, err := participantOf(*in)
	if err != nil {
		return nil, err
	}
	if err := svc.Leave(ctx, p); err != nil {
		return nil, callProblem(err)
	}
	return &struct{}{}, nil
}

type iceServersInput struct {
	VisitID       string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
	Authorization string `header:"Authorization" maxLength:"200" doc:"Bearer and the unspent join token"`
}

func (a *API) getICEServers(ctx context.Context, in *iceServersInput) (*iceServersOutput, error) {
	svc, err := a.callService()
	if err != nil {
		return nil, err
	}
	id, err := domain.ParseID[domain.VisitID](in.VisitID)
	if err != nil {
		return nil, invalidField("path.visitId", "must be a UUID")
	}
	token := bearerOf(in.Authorization)
	if token == "" {
		return nil, callProblem(calls.ErrUnauthorized)
	}
	list, err := svc.ICEServers(ctx, id, token)
	if err != nil {
		return nil, callProblem(err)
	}
	out := &iceServersOutput{}
	out.Body.ICEServers = make([]ICEServer, len(list))
	for i, s := range list {
		out.Body.ICEServers[i] = ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential}
	}
	return out, nil
}
