package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/seed"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// callEnv is the harness with office X open, clerk-x on duty and one visit
// admitted by clerk-x.
type callEnv struct {
	*httpapitest.Env
	visit      domain.VisitID
	visitToken string
}

func newCallEnv(t *testing.T) *callEnv {
	t.Helper()
	env := httpapitest.New(t, httpapitest.Options{})
	ctx := context.Background()
	sys := command.Context{Actor: seed.Actor()}
	office := domain.IDFrom[domain.OfficeID](env.OfficeX)
	service := domain.IDFrom[domain.ServiceID](uuid.New())
	if _, err := env.App.Commands.EstablishOffice.Handle(ctx, sys, offices.EstablishOffice{
		OfficeID: office, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: "Bürgerdienste",
		Services: []offices.ServiceSpec{{ID: service, Name: "Reisepass", TypicalDuration: 20 * time.Minute}},
		Hours:    seed.Hours(), SlotCapacity: 1,
	}); err != nil {
		t.Fatal(err)
	}
	clerk := command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](env.Users[httpapitest.ClerkX].ID.UUID()))}
	if _, err := env.App.Commands.GoOnDuty.Handle(ctx, clerk, offices.GoOnDuty{OfficeID: office}); err != nil {
		t.Fatal(err)
	}
	anon, _ := domain.NewActor(domain.RoleCitizen, "anonymous")
	k, err := env.App.Commands.Knock.Handle(ctx, command.Context{Actor: anon}, visits.Knock{
		RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: office, ServiceID: service,
		DisplayName: "Frau M.", Language: visit.German,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Commands.AdmitVisit.Handle(ctx, clerk, visits.AdmitVisit{VisitID: k.VisitID}); err != nil {
		t.Fatal(err)
	}
	return &callEnv{Env: env, visit: k.VisitID, visitToken: k.Token}
}

func (e *callEnv) send(t *testing.T, method, path, auth, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.Server.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

type callToken struct {
	Token, Role, ParticipantID, WHIPURL, ICEServersURL string
}

func (e *callEnv) token(t *testing.T, auth, path, body string) callToken {
	t.Helper()
	resp, b := e.send(t, http.MethodPost, path, auth, "application/json", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
	}
	var out struct {
		Token         string `json:"token"`
		Role          string `json:"role"`
		ParticipantID string `json:"participantId"`
		WHIPURL       string `json:"whipUrl"`
		ICEServersURL string `json:"iceServersUrl"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return callToken{out.Token, out.Role, out.ParticipantID, out.WHIPURL, out.ICEServersURL}
}

func wantUnauthorized(t *testing.T, what string, resp *http.Response, b []byte) {
	t.Helper()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(string(b), "call_token_invalid") || resp.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("%s: %d %q %s, want a 401 call_token_invalid problem", what, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	if strings.Contains(string(b), "answer for") {
		t.Fatalf("%s: an answer in a refusal: %s", what, b)
	}
}

const offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

func TestCallRoutesJoinWHIPStyleWithSingleUseTokens(t *testing.T) {
	e := newCallEnv(t)
	base := "/api/v1/visits/" + e.visit.String() + "/call"
	citizen := e.token(t, "Bearer "+e.visitToken, base+"/token", "")
	if citizen.Role != "citizen" || citizen.WHIPURL != base+"/participants" || citizen.ICEServersURL != base+"/ice-servers" {
		t.Fatalf("citizen token %+v", citizen)
	}

	// ICE servers: with the unspent token only; no TURN here, so none.
	resp, b := e.send(t, http.MethodGet, citizen.ICEServersURL, "Bearer "+citizen.Token, "", "")
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(b)) != `{"iceServers":[]}` {
		t.Fatalf("ice servers: %d %s", resp.StatusCode, b)
	}
	resp, b = e.send(t, http.MethodGet, citizen.ICEServersURL, "", "", "")
	wantUnauthorized(t, "ice servers without a token", resp, b)

	// Without, with a forged and with another kind of token: 401, no relay.
	for name, auth := range map[string]string{
		"no token":         "",
		"forged":           "Bearer bbj_" + strings.Repeat("A", 43),
		"visit capability": "Bearer " + e.visitToken,
		"staff session":    e.Credential(t, httpapitest.ClerkX, ""),
	} {
		resp, b := e.send(t, http.MethodPost, citizen.WHIPURL, auth, "application/sdp", offer)
		wantUnauthorized(t, name, resp, b)
	}
	if n := e.CallRelay.JoinCount(); n != 0 {
		t.Fatalf("%d offers reached the relay, want 0", n)
	}

	// The join: 201, the answer as SDP, the resource in Location.
	resp, b = e.send(t, http.MethodPost, citizen.WHIPURL, "Bearer "+citizen.Token, "application/sdp", offer)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/sdp" || string(b) != httpapitest.Answer(citizen.ParticipantID) {
		t.Fatalf("join: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	resource := resp.Header.Get("Location")
	if resource != citizen.WHIPURL+"/"+citizen.ParticipantID {
		t.Fatalf("Location %q", resource)
	}
	if j := e.CallRelay.Joins[0]; j.OfferSDP != offer || j.Role.String() != "citizen" || !j.ClientAddr.IsLoopback() {
		t.Fatalf("relay got %+v", j)
	}

	// A replay is 401 and reaches no relay.
	resp, b = e.send(t, http.MethodPost, citizen.WHIPURL, "Bearer "+citizen.Token, "application/sdp", offer)
	wantUnauthorized(t, "replayed token", resp, b)
	if n := e.CallRelay.JoinCount(); n != 1 {
		t.Fatalf("%d offers reached the relay, want 1", n)
	}

	// The spent token works on its resource only.
	resp, b = e.send(t, http.MethodPatch, resource, "Bearer "+citizen.Token, "application/json", `{"sdp":"screen share offer"}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"sdp":"`+httpapitest.Answer(citizen.ParticipantID)+`"`) {
		t.Fatalf("renegotiate: %d %s", resp.StatusCode, b)
	}
	resp, b = e.send(t, http.MethodDelete, citizen.WHIPURL+"/"+uuid.NewString(), "Bearer "+citizen.Token, "", "")
	wantUnauthorized(t, "leave as another participant", resp, b)
	if resp, b := e.send(t, http.MethodDelete, resource, "Bearer "+citizen.Token, "", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("leave: %d %s", resp.StatusCode, b)
	}
	resp, b = e.send(t, http.MethodDelete, resource, "Bearer "+citizen.Token, "", "")
	wantUnauthorized(t, "second leave", resp, b)

	// The clerk joins with JSON; an unsupported body is 415 once the token
	// is checked, and spends it.
	clerk := e.Credential(t, httpapitest.ClerkX, "")
	k := e.token(t, clerk, base+"/token", "")
	if k.Role != "clerk" {
		t.Fatalf("clerk token %+v", k)
	}
	resp, b = e.send(t, http.MethodPost, k.WHIPURL, "Bearer "+k.Token, "application/json", `{"sdp":"`+strings.ReplaceAll(offer, "\r\n", `\r\n`)+`"}`)
	var joined map[string]string
	_ = json.Unmarshal(b, &joined)
	if resp.StatusCode != http.StatusCreated || joined["sdp"] != httpapitest.Answer(k.ParticipantID) || joined["role"] != "clerk" || joined["location"] != resp.Header.Get("Location") {
		t.Fatalf("JSON join: %d %s", resp.StatusCode, b)
	}
	k2 := e.token(t, clerk, base+"/token", "")
	if resp, b := e.send(t, http.MethodPost, k2.WHIPURL, "Bearer "+k2.Token, "text/plain", offer); resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain offer: %d %s", resp.StatusCode, b)
	}

	// Expired by the clock.
	k3 := e.token(t, clerk, base+"/token", "")
	e.Clock.Advance(2 * time.Minute)
	resp, b = e.send(t, http.MethodPost, k3.WHIPURL, "Bearer "+k3.Token, "application/sdp", offer)
	wantUnauthorized(t, "expired token", resp, b)
}

func TestCallRoutesGuestsAndTheAdmittingClerk(t *testing.T) {
	e := newCallEnv(t)
	base := "/api/v1/visits/" + e.visit.String() + "/call"
	other := e.Credential(t, httpapitest.ClerkY, "")
	for _, path := range []string{base + "/token", base + "/guests"} {
		resp, b := e.send(t, http.MethodPost, path, other, "application/json", `{"role":"interpreter"}`)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "not_admitting_clerk") {
			t.Fatalf("%s as another clerk: %d %s", path, resp.StatusCode, b)
		}
	}
	clerk := e.Credential(t, httpapitest.ClerkX, "")
	if resp, b := e.send(t, http.MethodPost, base+"/guests", clerk, "application/json", `{"role":"citizen"}`); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("inviting a citizen: %d %s", resp.StatusCode, b)
	}
	g1 := e.token(t, clerk, base+"/guests", `{"role":"interpreter"}`)
	g2 := e.token(t, clerk, base+"/guests", `{"role":"colleague"}`)
	if g1.Role != "interpreter" || g2.Role != "colleague" || g1.Token == g2.Token {
		t.Fatalf("guests %+v %+v", g1, g2)
	}
	if resp, b := e.send(t, http.MethodPost, base+"/guests", clerk, "application/json", `{"role":"colleague"}`); resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), "too_many_call_guests") {
		t.Fatalf("third guest: %d %s", resp.StatusCode, b)
	}
	resp, b := e.send(t, http.MethodPost, g1.WHIPURL, "Bearer "+g1.Token, "application/sdp", offer)
	if resp.StatusCode != http.StatusCreated || string(b) != httpapitest.Answer(g1.ParticipantID) {
		t.Fatalf("guest join: %d %s", resp.StatusCode, b)
	}
	// A token of one visit does not open another's call.
	otherVisit := "/api/v1/visits/" + uuid.NewString() + "/call/participants"
	resp, b = e.send(t, http.MethodPost, otherVisit, "Bearer "+g2.Token, "application/sdp", offer)
	wantUnauthorized(t, "token at another visit", resp, b)
}
