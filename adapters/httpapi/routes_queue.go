package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// QueueEntry is one waiting visit as the clerk's queue shows it: no name.
type QueueEntry struct {
	VisitID         string     `json:"visitId" format:"uuid" maxLength:"36"`
	ServiceID       string     `json:"serviceId" format:"uuid" maxLength:"36"`
	Position        int        `json:"position" minimum:"1"`
	Prioritised     bool       `json:"prioritised" doc:"An appointment due now"`
	KnockedAt       time.Time  `json:"knockedAt" maxLength:"40"`
	AppointmentSlot *time.Time `json:"appointmentSlot,omitempty" maxLength:"40"`
	EstimatedWait   *int64     `json:"estimatedWaitSeconds,omitempty" minimum:"0"`
	Present         bool       `json:"present" doc:"The citizen's waiting page is open"`
}

// Queue is an office's queue in serving order.
type Queue struct {
	OfficeID           string       `json:"officeId" format:"uuid" maxLength:"36"`
	Serving            int          `json:"serving" minimum:"0" doc:"Clerks on duty and not paused"`
	AverageCallSeconds int64        `json:"averageCallSeconds" minimum:"0"`
	Waiting            []QueueEntry `json:"waiting" maxItems:"100000"`
}

func queueOf(q readmodel.QueueView) Queue {
	out := Queue{OfficeID: q.OfficeID.String(), Serving: q.Serving, AverageCallSeconds: int64(q.AverageCall / time.Second), Waiting: make([]QueueEntry, 0, len(q.Waiting))}
	for _, w := range q.Waiting {
		e := QueueEntry{
			VisitID: w.VisitID.String(), ServiceID: w.ServiceID.String(), Position: w.Position, Prioritised: w.Prioritised,
			KnockedAt: w.KnockedAt, AppointmentSlot: optTime(w.AppointmentSlot), Present: w.Present,
		}
		if w.WaitKnown {
			s := int64(w.EstimatedWait / time.Second)
			e.EstimatedWait = &s
		}
		out.Waiting = append(out.Waiting, e)
	}
	return out
}

type queueOutput struct{ Body Queue }

// OfficeVisitPath names a visit of an office (route input).
type OfficeVisitPath struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36" doc:"Office ID"`
	VisitID  string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
}

type admitInput struct {
	OfficeVisitPath
	Body *struct {
		ContinueReference string `json:"continueReference,omitempty" maxLength:"32" doc:"Continue this open case instead of opening a new one"`
		ContinueToken     string `json:"continueToken,omitempty" maxLength:"128" doc:"The citizen's case token, proving the case is theirs"`
	} `required:"false"`
}

// Admitted is a visit let in: the call starts and the case is open.
type Admitted struct {
	VisitID       string `json:"visitId" format:"uuid" maxLength:"36"`
	CaseID        string `json:"caseId" format:"uuid" maxLength:"36"`
	CaseReference string `json:"caseReference" maxLength:"32"`
	NewCase       bool   `json:"newCase"`
	CallID        string `json:"callId" format:"uuid" maxLength:"36"`
}

type admittedOutput struct{ Body Admitted }

func admittedOf(ad visits.Admission) *admittedOutput {
	return &admittedOutput{Body: Admitted{
		VisitID: ad.VisitID.String(), CaseID: ad.CaseID.String(), CaseReference: ad.Reference.String(),
		NewCase: ad.NewCase, CallID: ad.CallID.String(),
	}}
}

type declineInput struct {
	OfficeVisitPath
	Body struct {
		Reason         string `json:"reason" minLength:"1" maxLength:"500" doc:"Shown to the citizen"`
		ReferToOffice  string `json:"referToOfficeId,omitempty" format:"uuid" maxLength:"36" doc:"Refer the visit to another office's queue instead"`
		ReferToService string `json:"referToServiceId,omitempty" format:"uuid" maxLength:"36"`
	}
}

type messageInput struct {
	OfficeVisitPath
	Body struct {
		Text string `json:"text" minLength:"1" maxLength:"1000"`
	}
}

type endVisitInput struct {
	OfficeVisitPath
	Body struct {
		Reason string `json:"reason" enum:"completed,citizen_left,connection_lost"`
	}
}

func registerQueueRoutes(a *API) {
	clerk := Permission{Audience: Clerk, OfficeParam: "officeId"}
	visitErrs := []int{http.StatusNotFound, http.StatusConflict}
	Register(a, huma.Operation{
		OperationID: "get-queue", Method: http.MethodGet, Path: "/offices/{officeId}/queue",
		Summary: "The waiting queue of an office", Tags: []string{"clerk"},
		// After the permission check (Register puts it first).
		Middlewares: huma.Middlewares{(&queueBodies{}).serve(a)},
	}, clerk, a.getQueue)
	RegisterSSE(a, huma.Operation{
		OperationID: "watch-queue", Path: "/offices/{officeId}/queue/events",
		Summary:     "Live queue of an office",
		Description: "Sends `queue` now and whenever a visit knocks, leaves, moves or an estimate changes.",
		Tags:        []string{"clerk"},
	}, clerk, map[string]any{"queue": Queue{}}, a.watchQueue)
	Register(a, huma.Operation{
		OperationID: "admit-visit", Method: http.MethodPost, Path: "/offices/{officeId}/visits/{visitId}/admit",
		Summary:     "Let a waiting citizen in",
		Description: "Starts the call and opens (or continues) the case. Two clerks admitting the same visit: one succeeds, the other gets 409.",
		Tags:        []string{"clerk"}, Errors: visitErrs,
	}, clerk, a.admitVisit)
	Register(a, huma.Operation{
		OperationID: "admit-next", Method: http.MethodPost, Path: "/offices/{officeId}/queue/admit-next",
		Summary: "Let the next present citizen in", Tags: []string{"clerk"}, Errors: visitErrs,
	}, clerk, a.admitNext)
	Register(a, huma.Operation{
		OperationID: "decline-visit", Method: http.MethodPost, Path: "/offices/{officeId}/visits/{visitId}/decline", DefaultStatus: http.StatusNoContent,
		Summary: "Decline a waiting visit, or refer it to another office", Tags: []string{"clerk"}, Errors: visitErrs,
	}, clerk, a.declineVisit)
	Register(a, huma.Operation{
		OperationID: "send-visit-message", Method: http.MethodPost, Path: "/offices/{officeId}/visits/{visitId}/messages", DefaultStatus: http.StatusNoContent,
		Summary: "Send a short message to a waiting citizen", Tags: []string{"clerk"}, Errors: visitErrs,
	}, clerk, a.sendVisitMessage)
	Register(a, huma.Operation{
		OperationID: "return-visit-to-waiting-room", Method: http.MethodPost, Path: "/offices/{officeId}/visits/{visitId}/return-to-waiting-room", DefaultStatus: http.StatusNoContent,
		Summary: "Send an admitted citizen back to the queue", Tags: []string{"clerk"}, Errors: visitErrs,
	}, clerk, a.returnVisit)
	Register(a, huma.Operation{
		OperationID: "end-visit", Method: http.MethodPost, Path: "/offices/{officeId}/visits/{visitId}/end", DefaultStatus: http.StatusNoContent,
		Summary: "End a visit's call", Tags: []string{"clerk"}, Errors: visitErrs,
	}, clerk, a.endVisit)
}

func (a *API) getQueue(ctx context.Context, in *OfficePath) (*queueOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	return &queueOutput{Body: queueOf(m.Queues.QueueSnapshot(id, a.cfg.Now()).View)}, nil
}

// queueBodies keeps each office's get-queue response body, encoded once per
// read-model snapshot: the body depends on nothing else (the permission
// was checked before), and every clerk of a busy office polls it.
type queueBodies struct {
	m sync.Map // domain.OfficeID → *queueBody
}

type queueBody struct {
	snap   *readmodel.QueueSnapshot
	body   []byte // as Huma's JSON format writes it
	length string
}

// serve answers get-queue from the encoded body when the office is named
// canonically (anything else takes the normal route, which validates and
// reports errors); the bytes, status and content type are those of the
// normal route.
func (c *queueBodies) serve(a *API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		_, m, err := a.business()
		if err != nil {
			next(ctx)
			return
		}
		param := ctx.Param("officeId")
		if !canonicalUUID(param) {
			next(ctx)
			return
		}
		u, err := uuid.Parse(param)
		if err != nil || u == uuid.Nil {
			next(ctx)
			return
		}
		id := domain.IDFrom[domain.OfficeID](u)
		b, err := c.get(id, m.Queues.QueueSnapshot(id, a.cfg.Now()))
		if err != nil {
			next(ctx)
			return
		}
		ctx.SetHeader("Content-Type", "application/json")
		ctx.SetHeader("Content-Length", b.length)
		ctx.SetStatus(http.StatusOK)
		_, _ = ctx.BodyWriter().Write(b.body)
	}
}

// canonicalUUID reports whether s has the form uuid.UUID.String gives
// (36 characters, lower case), without parsing it.
func canonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}

func (c *queueBodies) get(id domain.OfficeID, snap *readmodel.QueueSnapshot) (*queueBody, error) {
	if v, ok := c.m.Load(id); ok {
		if b := v.(*queueBody); b.snap == snap {
			return b, nil
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // as huma.DefaultJSONFormat
	enc.SetEscapeHTML(false)
	if err := enc.Encode(queueOf(snap.View)); err != nil {
		return nil, err
	}
	b := &queueBody{snap: snap, body: buf.Bytes(), length: strconv.Itoa(buf.Len())}
	c.m.Store(id, b)
	return b, nil
}

func (a *API) watchQueue(ctx context.Context, in *OfficePath, lastID string, s Stream) error {
	_, m, err := a.business()
	if err != nil {
		return err
	}
	id, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return err
	}
	f := readside.Filter{Kinds: []readside.Kind{readside.KindQueue, readside.KindVisit}, OfficeID: id}
	return a.watchState(ctx, lastID, s, f, "queue", func() (any, error) {
		return queueOf(m.Queues.Queue(id, a.cfg.Now())), nil
	})
}

// officeVisit parses the path and makes sure the visit is in the office of
// the path (the permission checked the clerk serves that office): 404
// otherwise, so visits of other offices stay invisible.
func (a *API) officeVisit(ctx context.Context, in OfficeVisitPath) (domain.VisitID, error) {
	app, m, err := a.business()
	if err != nil {
		return domain.VisitID{}, err
	}
	office, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return domain.VisitID{}, err
	}
	id, err := a.visitID(in.VisitID)
	if err != nil {
		return domain.VisitID{}, err
	}
	at := domain.OfficeID{}
	if v, ok := m.Queues.Visit(id, a.cfg.Now()); ok {
		at = v.OfficeID
	} else {
		// Not projected yet: ask the event store.
		v, err := app.Queries.VisitStatus.Handle(ctx, visits.VisitStatus{VisitID: id, Token: visits.Token(app.Tokens, id)})
		if err != nil {
			return domain.VisitID{}, err
		}
		at = v.OfficeID
	}
	if at != office {
		return domain.VisitID{}, NewProblem(http.StatusNotFound, CodeNotFound, "no such visit in this office")
	}
	return id, nil
}

func (a *API) admitVisit(ctx context.Context, in *admitInput) (*admittedOutput, error) {
	id, err := a.officeVisit(ctx, in.OfficeVisitPath)
	if err != nil {
		return nil, err
	}
	cmd := visits.AdmitVisit{VisitID: id}
	if in.Body != nil && in.Body.ContinueReference != "" {
		if cmd.ContinueReference, err = casefile.ParseReference(in.Body.ContinueReference); err != nil {
			return nil, err
		}
		cmd.ContinueToken = in.Body.ContinueToken
	}
	ad, err := a.deps.App.Commands.AdmitVisit.Handle(ctx, CommandContext(ctx), cmd)
	if err != nil {
		return nil, err
	}
	return admittedOf(ad), nil
}

func (a *API) admitNext(ctx context.Context, in *OfficePath) (*admittedOutput, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	if app.Commands.AdmitNext == nil {
		return nil, errNotWired
	}
	id, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	ad, err := app.Commands.AdmitNext.Handle(ctx, CommandContext(ctx), visits.AdmitNext{OfficeID: id})
	if err != nil {
		return nil, err
	}
	return admittedOf(ad), nil
}

func (a *API) declineVisit(ctx context.Context, in *declineInput) (*struct{}, error) {
	id, err := a.officeVisit(ctx, in.OfficeVisitPath)
	if err != nil {
		return nil, err
	}
	cmd := visits.Decline{VisitID: id, Reason: in.Body.Reason}
	if in.Body.ReferToOffice != "" {
		if cmd.ReferToOffice, err = idOf("body.referToOfficeId", in.Body.ReferToOffice, domain.ParseID[domain.OfficeID]); err != nil {
			return nil, err
		}
		if cmd.ReferToService, err = idOf("body.referToServiceId", in.Body.ReferToService, domain.ParseID[domain.ServiceID]); err != nil {
			return nil, err
		}
	}
	saved, err := a.deps.App.Commands.Decline.Handle(ctx, CommandContext(ctx), cmd)
	if err != nil {
		return nil, err
	}
	a.settle(ctx, saved.Position)
	return nil, nil
}

func (a *API) sendVisitMessage(ctx context.Context, in *messageInput) (*struct{}, error) {
	id, err := a.officeVisit(ctx, in.OfficeVisitPath)
	if err != nil {
		return nil, err
	}
	_, err = a.deps.App.Commands.SendMessage.Handle(ctx, CommandContext(ctx), visits.SendMessage{VisitID: id, Text: in.Body.Text})
	return nil, err
}

func (a *API) returnVisit(ctx context.Context, in *OfficeVisitPath) (*struct{}, error) {
	id, err := a.officeVisit(ctx, *in)
	if err != nil {
		return nil, err
	}
	saved, err := a.deps.App.Commands.ReturnToWaitingRoom.Handle(ctx, CommandContext(ctx), visits.ReturnToWaitingRoom{VisitID: id})
	if err != nil {
		return nil, err
	}
	a.settle(ctx, saved.Position)
	return nil, nil
}

func (a *API) endVisit(ctx context.Context, in *endVisitInput) (*struct{}, error) {
	id, err := a.officeVisit(ctx, in.OfficeVisitPath)
	if err != nil {
		return nil, err
	}
	reason, err := visitEndReason(in.Body.Reason)
	if err != nil {
		return nil, err
	}
	saved, err := a.deps.App.Commands.EndVisit.Handle(ctx, CommandContext(ctx), visits.EndVisit{VisitID: id, Reason: reason})
	if err != nil {
		return nil, err
	}
	a.settle(ctx, saved.Position)
	return nil, nil
}
