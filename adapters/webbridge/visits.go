package webbridge

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

type visitsPort struct{ b *bridge }

// visitDetail is what a visit's stream holds beyond the queue model: the
// citizen's own words and the clerks' messages (personal data, read only
// for the page that shows them).
type visitDetail struct {
	DisplayName string
	Language    string
	Needs       []string
	Messages    []web.ClerkMessage
	Reason      string
	ReferredTo  domain.OfficeID
}

func (b *bridge) visitDetail(ctx context.Context, id domain.VisitID) (visitDetail, error) {
	evs, err := b.loadEvents(ctx, visit.StreamName(id), "visit")
	if err != nil {
		return visitDetail{}, err
	}
	var d visitDetail
	for _, e := range evs {
		switch ev := e.Event.(type) {
		case visit.VisitKnocked:
			d.DisplayName, d.Language = ev.DisplayName, ev.Language.String()
			d.Needs = d.Needs[:0]
			for _, n := range ev.Needs {
				d.Needs = append(d.Needs, webNeed(n.String()))
			}
		case visit.VisitMessageSent:
			d.Messages = append(d.Messages, web.ClerkMessage{At: ev.SentAt, Text: ev.Text})
		case visit.VisitDeclined:
			d.Reason = ev.Reason
		case visit.VisitReferred:
			d.Reason, d.ReferredTo = ev.Reason, ev.ToOfficeID
		}
	}
	return d, nil
}

// Accessibility needs: the web's names and the domain's. Every need the
// knock form offers (web.AccessibilityNeeds) has one.
var needsWebToDomain = map[string]string{
	"sign_language": "sign_language",
	"easy_language": "simple_language",
	"captions":      "captions",
	"screen_reader": "screen_reader",
}

func webNeed(domainNeed string) string {
	for w, d := range needsWebToDomain {
		if d == domainNeed {
			return w
		}
	}
	return domainNeed
}

// webStatus maps a visit status to the waiting page's (in a call is
// admitted there).
func webStatus(s visit.Status) string {
	if s == visit.StatusInCall {
		return web.VisitAdmitted
	}
	return s.String()
}

func (b *bridge) checkPass(p web.VisitPass) (domain.VisitID, error) {
	id, err := idOf(domain.ParseID[domain.VisitID], p.VisitID, "visit")
	if err != nil {
		return id, err
	}
	if command.CheckToken(p.Token, visits.Token(b.App.Tokens, id)) != nil {
		return domain.VisitID{}, notFound("visit")
	}
	return id, nil
}

func (v visitsPort) Knock(ctx context.Context, r web.KnockRequest) (web.VisitPass, error) {
	b := v.b
	cmd := visits.Knock{RequestID: domain.IDFrom[domain.RequestID](uuid.New()), DisplayName: r.DisplayName, Language: visit.German}
	var err error
	if r.RequestID != "" { // the form's: a second submit is the same knock
		if cmd.RequestID, err = domain.ParseID[domain.RequestID](r.RequestID); err != nil {
			return web.VisitPass{}, invalid("request")
		}
	}
	if cmd.OfficeID, err = idOf(domain.ParseID[domain.OfficeID], r.OfficeID, "office"); err != nil {
		return web.VisitPass{}, err
	}
	if cmd.ServiceID, err = domain.ParseID[domain.ServiceID](r.ServiceID); err != nil {
		return web.VisitPass{}, invalid("service")
	}
	if r.Language != "" {
		if cmd.Language, err = visit.ParseLanguage(r.Language); err != nil {
			return web.VisitPass{}, err
		}
	}
	for _, n := range r.Needs {
		d, ok := needsWebToDomain[n]
		if !ok {
			return web.VisitPass{}, visit.ErrInvalidNeed
		}
		need, err := visit.ParseNeed(d)
		if err != nil {
			return web.VisitPass{}, err
		}
		cmd.Needs = append(cmd.Needs, need)
	}
	if r.AppointmentCode != "" {
		id, ok := b.Codes.Lookup(r.AppointmentCode)
		if !ok {
			return web.VisitPass{}, visits.ErrAppointmentInvalid
		}
		cmd.AppointmentID, cmd.AppointmentCode = id, r.AppointmentCode
	}
	res, err := b.App.Commands.Knock.Handle(ctx, citizenCtx("anonymous"), cmd)
	if err != nil {
		return web.VisitPass{}, err
	}
	// The knock has no position to wait for: wait for the visit itself.
	b.until(ctx, readside.Filter{VisitID: res.VisitID}, func() bool {
		_, ok := b.Models.Queues.Visit(res.VisitID, b.Now())
		return ok
	})
	return web.VisitPass{VisitID: res.VisitID.String(), Token: res.Token}, nil
}

// waitingView builds a waiting room from the queue model and the visit's
// stream.
func (b *bridge) waitingView(ctx context.Context, id domain.VisitID) (web.WaitingView, error) {
	vv, ok := b.Models.Queues.Visit(id, b.Now())
	if !ok {
		return web.WaitingView{}, notFound("visit")
	}
	d, err := b.visitDetail(ctx, id)
	if err != nil {
		return web.WaitingView{}, err
	}
	w := web.WaitingView{VisitID: id.String(), Status: webStatus(vv.Status), Messages: d.Messages, Version: b.nextVersion()}
	if o, ok := b.Models.Doors.Door(vv.OfficeID, b.Now()); ok {
		w.OfficeName = o.Name
	}
	if vv.Place != nil {
		w.Position = vv.Place.Position
		if vv.Place.WaitKnown {
			w.EstimatedWait = vv.Place.EstimatedWait
		}
	}
	if vv.Status == visit.StatusDeclined {
		w.DeclineReason = d.Reason
	}
	if !d.ReferredTo.IsZero() {
		if o, ok := b.Models.Doors.Door(d.ReferredTo, b.Now()); ok {
			w.Referral = o.Name
		}
	}
	return w, nil
}

func (v visitsPort) Waiting(ctx context.Context, p web.VisitPass) (web.WaitingView, error) {
	id, err := v.b.checkPass(p)
	if err != nil {
		return web.WaitingView{}, err
	}
	return v.b.waitingView(ctx, id)
}

// presencePolicy is the system actor recording that a waiting page closed.
const presencePolicy = "PresenceOnWebWaitingPage"

func (v visitsPort) WatchWaiting(ctx context.Context, p web.VisitPass) (<-chan web.WaitingView, error) {
	b := v.b
	id, err := b.checkPass(p)
	if err != nil {
		return nil, err
	}
	// The open live view is the citizen's presence, as on the JSON API:
	// regained now, lost when it ends.
	if saved, err := b.App.Commands.Heartbeat.Handle(ctx, citizenCtx("visit/"+id.String()), visits.Heartbeat{VisitID: id, Token: p.Token}); err == nil {
		b.settle(ctx, saved.Position)
	} else if !isDomainError(err) {
		return nil, err
	}
	out := watch(b, ctx, readside.Filter{VisitID: id}, func(ctx context.Context) (web.WaitingView, bool) {
		w, err := b.waitingView(ctx, id)
		return w, err == nil
	})
	go func() {
		<-ctx.Done()
		b.presenceLost(ctx, id)
	}()
	return out, nil
}

func (b *bridge) presenceLost(ctx context.Context, id domain.VisitID) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	a, _ := domain.NewActor(domain.RoleSystem, presencePolicy)
	if _, err := b.App.Commands.PresenceLost.Handle(ctx, command.Context{Actor: a}, visits.PresenceLost{VisitID: id}); err != nil && !isDomainError(err) {
		b.Logger.Warn("webbridge: recording presence lost failed", "visit", id.String(), "err", err)
	}
}

func isDomainError(err error) bool {
	var de *domain.Error
	return errors.As(err, &de)
}

func (v visitsPort) Withdraw(ctx context.Context, p web.VisitPass) error {
	id, err := v.b.checkPass(p)
	if err != nil {
		return err
	}
	saved, err := v.b.App.Commands.Withdraw.Handle(ctx, citizenCtx("visit/"+id.String()), visits.Withdraw{VisitID: id, Token: p.Token})
	if err != nil {
		return err
	}
	v.b.settle(ctx, saved.Position)
	return nil
}

func (v visitsPort) JoinCall(ctx context.Context, p web.VisitPass) (web.CallView, error) {
	b := v.b
	id, err := b.checkPass(p)
	if err != nil {
		return web.CallView{}, err
	}
	vv, err := b.admittedVisit(id)
	if err != nil {
		return web.CallView{}, err
	}
	return b.callView(ctx, citizenCtx("visit/"+id.String()), vv, p.Token)
}

// admittedVisit returns a visit that is admitted or in its call.
func (b *bridge) admittedVisit(id domain.VisitID) (readmodel.VisitView, error) {
	vv, ok := b.Models.Queues.Visit(id, b.Now())
	if !ok {
		return vv, notFound("visit")
	}
	if vv.Status != visit.StatusAdmitted && vv.Status != visit.StatusInCall {
		return vv, domain.Precondition("not_admitted", "the visit is not admitted")
	}
	return vv, nil
}

// callView issues a join token (when a calls service is wired) and points
// the page at the API's join-call route.
func (b *bridge) callView(ctx context.Context, c command.Context, vv readmodel.VisitView, visitToken string) (web.CallView, error) {
	cv := web.CallView{VisitID: vv.VisitID.String(), WHIPURL: b.CallBase + "/visits/" + vv.VisitID.String() + "/call/participants", CaseRef: vv.CaseReference.String()}
	if b.Calls == nil {
		return cv, nil
	}
	t, err := b.Calls.IssueToken(ctx, c, calls.IssueToken{VisitID: vv.VisitID, VisitToken: visitToken})
	if err != nil {
		return web.CallView{}, err
	}
	cv.Token = t.Token
	return cv, nil
}
