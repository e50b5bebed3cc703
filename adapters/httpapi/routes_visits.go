package httpapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// presencePolicy is the system actor that records a citizen's waiting page
// closing (the end of its watch-visit stream).
const presencePolicy = "PresenceOnWatchVisit"

type knockInput struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36" doc:"Office ID"`
	Body     struct {
		RequestID       string   `json:"requestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this knock: repeating it returns the same visit"`
		ServiceID       string   `json:"serviceId" format:"uuid" maxLength:"36"`
		DisplayName     string   `json:"displayName" minLength:"1" maxLength:"40" doc:"How the clerk may address you"`
		Language        string   `json:"language,omitempty" pattern:"^[a-z]{2,3}$" maxLength:"3" doc:"Preferred language (ISO 639), default de"`
		Needs           []string `json:"needs,omitempty" maxItems:"6" enum:"sign_language,text_chat_only,simple_language,screen_reader,interpreter,captions"`
		AppointmentID   string   `json:"appointmentId,omitempty" format:"uuid" maxLength:"36" doc:"With appointmentCode: knock for a booked appointment (served first within its window)"`
		AppointmentCode string   `json:"appointmentCode,omitempty" maxLength:"32"`
	}
}

// Knocked is the answer to a knock: the visit and the citizen's token for it.
type Knocked struct {
	VisitID string `json:"visitId" format:"uuid" maxLength:"36"`
	// Token grants this visit only; send it as Authorization: Bearer.
	Token    string `json:"token" maxLength:"128" doc:"Capability token of this visit (256 bits); keep it secret"`
	Repeated bool   `json:"repeated" doc:"The request ID had been used for this knock before"`
}

type knockOutput struct{ Body Knocked }

type citizenVisitPath struct {
	VisitID string `path:"visitId" format:"uuid" maxLength:"36" doc:"Visit ID"`
}

// VisitState is a visit as its citizen's waiting page shows it.
type VisitState struct {
	VisitID   string    `json:"visitId" format:"uuid" maxLength:"36"`
	OfficeID  string    `json:"officeId" format:"uuid" maxLength:"36"`
	ServiceID string    `json:"serviceId" format:"uuid" maxLength:"36"`
	Status    string    `json:"status" enum:"waiting,admitted,in_call,ended,declined,withdrawn,expired"`
	KnockedAt time.Time `json:"knockedAt" maxLength:"40"`
	Present   bool      `json:"present" doc:"The waiting page is open"`
	// Position is 1-based, while waiting.
	Position      int    `json:"position,omitempty" minimum:"0" doc:"Place in the queue while waiting (1 = next)"`
	Prioritised   bool   `json:"prioritised,omitempty" doc:"Served before walk-ins (appointment due now)"`
	EstimatedWait *int64 `json:"estimatedWaitSeconds,omitempty" minimum:"0" doc:"Estimated wait while waiting; absent while no clerk serves"`
	MessagesSent  int    `json:"messagesSent" minimum:"0" doc:"Messages the clerks sent to this visit so far"`
	// Admission is set once a clerk let the citizen in.
	Admission  *VisitAdmission `json:"admission,omitempty"`
	FinishedAt *time.Time      `json:"finishedAt,omitempty" maxLength:"40"`
}

// VisitAdmission is what a citizen needs to join the call and follow the case.
type VisitAdmission struct {
	CallID        string `json:"callId" format:"uuid" maxLength:"36" doc:"The video call to join"`
	CaseID        string `json:"caseId" format:"uuid" maxLength:"36"`
	CaseReference string `json:"caseReference" maxLength:"32" doc:"Human case reference, e.g. DO-2026-000123"`
	CaseToken     string `json:"caseToken" maxLength:"128" doc:"Capability token of the case (for get-citizen-case and uploads)"`
	// JoinPath is where the citizen gets the call's join token with the
	// visit token (issue-call-token), then joins (join-call).
	JoinPath string `json:"joinPath" maxLength:"120" doc:"POST here with the visit token for the call's join token (issue-call-token)"`
}

type visitOutput struct{ Body VisitState }

func registerVisitRoutes(a *API) {
	citizen := Permission{Audience: Citizen, Subject: SubjectVisit, SubjectParam: "visitId"}
	Register(a, huma.Operation{
		OperationID: "knock", Method: http.MethodPost, Path: "/offices/{officeId}/visits", DefaultStatus: http.StatusCreated,
		Summary:     "Knock on an office's door",
		Description: "Creates a visit waiting in the office's queue and returns its capability token. A closed door is 409 door_closed with `nextOpening`.",
		Tags:        []string{"citizen"}, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, Permission{Audience: Anyone}, a.knock, WithRateLimit(RateKnock), WithIdempotency())
	Register(a, huma.Operation{
		OperationID: "get-visit", Method: http.MethodGet, Path: "/visits/{visitId}",
		Summary: "A visit: status, place in the queue, estimated wait, admission",
		Errors:  []int{http.StatusNotFound},
	}, citizen, a.getVisit)
	RegisterSSE(a, huma.Operation{
		OperationID: "watch-visit", Path: "/visits/{visitId}/events",
		Summary: "Live state of a visit (the citizen's waiting page)",
		Description: "Sends `visit` now and whenever the place, estimate, status or messages change; on admission it carries the call and case. " +
			"The open stream is the citizen's presence: connecting records presence regained, closing it records presence lost, " +
			"and a waiting visit without presence expires after the grace period.",
	}, citizen, map[string]any{"visit": VisitState{}}, a.watchVisit)
	Register(a, huma.Operation{
		OperationID: "withdraw-visit", Method: http.MethodPost, Path: "/visits/{visitId}/withdraw", DefaultStatus: http.StatusNoContent,
		Summary: "Leave the queue", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, citizen, a.withdrawVisit)
	Register(a, huma.Operation{
		OperationID: "visit-heartbeat", Method: http.MethodPost, Path: "/visits/{visitId}/heartbeat", DefaultStatus: http.StatusNoContent,
		Summary:     "Say the citizen is still there",
		Description: "For clients that cannot keep watch-visit open: records presence regained after it was lost.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, citizen, a.visitHeartbeat)
}

func (a *API) knock(ctx context.Context, in *knockInput) (*knockOutput, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	cmd := visits.Knock{DisplayName: in.Body.DisplayName, AppointmentCode: in.Body.AppointmentCode, Language: visit.German}
	if cmd.OfficeID, err = idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID]); err != nil {
		return nil, err
	}
	if cmd.ServiceID, err = idOf("body.serviceId", in.Body.ServiceID, domain.ParseID[domain.ServiceID]); err != nil {
		return nil, err
	}
	cmd.RequestID = domain.IDFrom[domain.RequestID](uuid.New())
	if in.Body.RequestID != "" {
		if cmd.RequestID, err = idOf("body.requestId", in.Body.RequestID, domain.ParseID[domain.RequestID]); err != nil {
			return nil, err
		}
	}
	if in.Body.AppointmentID != "" {
		if cmd.AppointmentID, err = idOf("body.appointmentId", in.Body.AppointmentID, domain.ParseID[domain.AppointmentID]); err != nil {
			return nil, err
		}
	}
	if in.Body.Language != "" {
		if cmd.Language, err = visit.ParseLanguage(in.Body.Language); err != nil {
			return nil, err
		}
	}
	for _, n := range in.Body.Needs {
		need, err := visit.ParseNeed(n)
		if err != nil {
			return nil, err
		}
		cmd.Needs = append(cmd.Needs, need)
	}
	c := CommandContext(ctx)
	c.Actor, _ = domain.NewActor(domain.RoleCitizen, "anonymous")
	res, err := app.Commands.Knock.Handle(ctx, c, cmd)
	if err != nil {
		return nil, err
	}
	return &knockOutput{Body: Knocked{VisitID: res.VisitID.String(), Token: res.Token, Repeated: res.Repeated}}, nil
}

func (a *API) visitID(in string) (domain.VisitID, error) {
	return idOf("path.visitId", in, domain.ParseID[domain.VisitID])
}

func (a *API) getVisit(ctx context.Context, in *citizenVisitPath) (*visitOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := a.visitID(in.VisitID)
	if err != nil {
		return nil, err
	}
	v, err := a.visitState(ctx, m, id, true)
	if err != nil {
		return nil, err
	}
	return &visitOutput{Body: v}, nil
}

// visitState reads a visit from the queue read model. A visit the read
// side has not seen yet (a knock a moment ago) is waited for briefly when
// wait is set: the knock's response has no position to wait for.
func (a *API) visitState(ctx context.Context, m *readmodel.Models, id domain.VisitID, wait bool) (VisitState, error) {
	v, ok := m.Queues.Visit(id, a.cfg.Now())
	if !ok && wait && a.deps.Changes != nil {
		ch, cancel := a.deps.Changes.Subscribe(readside.Filter{VisitID: id})
		defer cancel()
		t := time.NewTimer(a.cfg.ReadYourWrites)
		defer t.Stop()
		for !ok {
			if v, ok = m.Queues.Visit(id, a.cfg.Now()); ok {
				break
			}
			select {
			case <-ch:
			case <-t.C:
				return VisitState{}, NewProblem(http.StatusNotFound, CodeNotFound, "no such visit")
			case <-ctx.Done():
				return VisitState{}, ctx.Err()
			}
		}
	}
	if !ok {
		return VisitState{}, NewProblem(http.StatusNotFound, CodeNotFound, "no such visit")
	}
	return a.visitStateOf(v), nil
}

func (a *API) visitStateOf(v readmodel.VisitView) VisitState {
	out := VisitState{
		VisitID: v.VisitID.String(), OfficeID: v.OfficeID.String(), ServiceID: v.ServiceID.String(),
		Status: v.Status.String(), KnockedAt: v.KnockedAt, Present: v.Present, MessagesSent: v.MessagesSent,
		FinishedAt: optTime(v.FinishedAt),
	}
	if p := v.Place; p != nil {
		out.Position, out.Prioritised = p.Position, p.Prioritised
		if p.WaitKnown {
			s := int64(p.EstimatedWait / time.Second)
			out.EstimatedWait = &s
		}
	}
	if !v.CallID.IsZero() && !v.CaseID.IsZero() && (v.Status == visit.StatusAdmitted || v.Status == visit.StatusInCall) {
		out.Admission = &VisitAdmission{
			CallID: v.CallID.String(), CaseID: v.CaseID.String(), CaseReference: v.CaseReference.String(),
			CaseToken: cases.Token(a.deps.App.Tokens, v.CaseID),
			JoinPath:  BasePath + "/visits/" + v.VisitID.String() + "/call/token",
		}
	}
	return out
}

func (a *API) watchVisit(ctx context.Context, in *citizenVisitPath, lastID string, s Stream) error {
	app, m, err := a.business()
	if err != nil {
		return err
	}
	id, err := a.visitID(in.VisitID)
	if err != nil {
		return err
	}
	if _, err := a.visitState(ctx, m, id, true); err != nil {
		return err
	}
	// The stream is the presence: regained now, lost when it ends. A visit
	// that no longer waits refuses both, which is fine.
	token := a.citizenToken(ctx)
	if token != "" {
		if saved, err := app.Commands.Heartbeat.Handle(ctx, CommandContext(ctx), visits.Heartbeat{VisitID: id, Token: token}); err == nil {
			a.settle(ctx, saved.Position)
		} else if !isDomainError(err) {
			return err
		}
		defer a.presenceLost(ctx, id)
	}
	return a.watchState(ctx, lastID, s, readside.Filter{VisitID: id}, "visit", func() (any, error) {
		return a.visitState(ctx, m, id, false)
	})
}

// presenceLost records that the waiting page closed. It runs after the
// request ended, so on a context of its own.
func (a *API) presenceLost(ctx context.Context, id domain.VisitID) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	c := CommandContext(ctx)
	c.Actor, _ = domain.NewActor(domain.RoleSystem, presencePolicy)
	if _, err := a.deps.App.Commands.PresenceLost.Handle(ctx, c, visits.PresenceLost{VisitID: id}); err != nil && !isDomainError(err) {
		if sc := scopeOf(ctx); sc != nil {
			sc.logInternal(err)
		}
	}
}

func isDomainError(err error) bool {
	var de *domain.Error
	return errors.As(err, &de)
}

func (a *API) withdrawVisit(ctx context.Context, in *citizenVisitPath) (*struct{}, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := a.visitID(in.VisitID)
	if err != nil {
		return nil, err
	}
	saved, err := app.Commands.Withdraw.Handle(ctx, CommandContext(ctx), visits.Withdraw{VisitID: id, Token: a.citizenToken(ctx)})
	if err != nil {
		return nil, err
	}
	a.settle(ctx, saved.Position)
	return nil, nil
}

func (a *API) visitHeartbeat(ctx context.Context, in *citizenVisitPath) (*struct{}, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := a.visitID(in.VisitID)
	if err != nil {
		return nil, err
	}
	_, err = app.Commands.Heartbeat.Handle(ctx, CommandContext(ctx), visits.Heartbeat{VisitID: id, Token: a.citizenToken(ctx)})
	return nil, err
}
