package webbridge

import (
	"context"
	"strings"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/staff"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

type desk struct{ b *bridge }

func (d desk) MyOffices(ctx context.Context, p web.Principal) ([]web.OfficeView, error) {
	acc, err := d.b.account(ctx, p, staff.RoleClerk)
	if err != nil {
		return nil, err
	}
	return d.b.officeViews(ctx, acc.Offices)
}

func (d desk) SetDuty(ctx context.Context, p web.Principal, officeID, duty string) error {
	b := d.b
	id, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return err
	}
	c, err := b.clerk(ctx, p, id)
	if err != nil {
		return err
	}
	var saved command.Saved
	switch duty {
	case web.DutyOn:
		o, err := b.office(ctx, id)
		if err != nil {
			return err
		}
		switch dutyOf(o, c) {
		case web.DutyPause:
			saved, err = b.App.Commands.ResumeDuty.Handle(ctx, c, offices.ResumeDuty{OfficeID: id})
		case web.DutyOn:
			return nil
		default:
			saved, err = b.App.Commands.GoOnDuty.Handle(ctx, c, offices.GoOnDuty{OfficeID: id})
		}
		if err != nil {
			return err
		}
	case web.DutyPause:
		if saved, err = b.App.Commands.PauseDuty.Handle(ctx, c, offices.PauseDuty{OfficeID: id}); err != nil {
			return err
		}
	case web.DutyOff:
		if saved, err = b.App.Commands.GoOffDuty.Handle(ctx, c, offices.GoOffDuty{OfficeID: id}); err != nil {
			return err
		}
	default:
		return invalid("duty")
	}
	b.settle(ctx, saved.Position)
	return nil
}

// dutyOf is the acting clerk's duty at an office.
func dutyOf(o *office.Office, c command.Context) string {
	for _, s := range o.ClerksOnDuty() {
		if s.ClerkID.String() == c.Actor.ID() {
			if s.Paused {
				return web.DutyPause
			}
			return web.DutyOn
		}
	}
	return web.DutyOff
}

func (b *bridge) queueView(ctx context.Context, c command.Context, id domain.OfficeID) (web.QueueView, error) {
	o, err := b.office(ctx, id)
	if err != nil {
		return web.QueueView{}, err
	}
	q := web.QueueView{OfficeID: id.String(), OfficeName: o.Name(), Duty: dutyOf(o, c), Entries: []web.QueueEntry{}, Version: b.nextVersion()}
	for _, w := range b.Models.Queues.Queue(id, b.Now()).Waiting {
		e := web.QueueEntry{VisitID: w.VisitID.String(), Position: w.Position, KnockedAt: w.KnockedAt, Appointment: !w.AppointmentSlot.IsZero()}
		if s, ok := o.Service(w.ServiceID); ok {
			e.ServiceName = s.Name()
		}
		det, err := b.visitDetail(ctx, w.VisitID)
		if err != nil {
			return web.QueueView{}, err
		}
		e.DisplayName, e.Language, e.Needs = det.DisplayName, det.Language, det.Needs
		q.Entries = append(q.Entries, e)
	}
	return q, nil
}

func (d desk) Queue(ctx context.Context, p web.Principal, officeID string) (web.QueueView, error) {
	id, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return web.QueueView{}, err
	}
	c, err := d.b.clerk(ctx, p, id)
	if err != nil {
		return web.QueueView{}, err
	}
	return d.b.queueView(ctx, c, id)
}

func (d desk) WatchQueue(ctx context.Context, p web.Principal, officeID string) (<-chan web.QueueView, error) {
	b := d.b
	id, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return nil, err
	}
	c, err := b.clerk(ctx, p, id)
	if err != nil {
		return nil, err
	}
	f := readside.Filter{Kinds: []readside.Kind{readside.KindQueue, readside.KindVisit, readside.KindDoor}, OfficeID: id}
	return watch(b, ctx, f, func(ctx context.Context) (web.QueueView, bool) {
		q, err := b.queueView(ctx, c, id)
		if err != nil {
			b.Logger.Warn("webbridge: live queue", "office", id.String(), "err", err)
		}
		return q, err == nil
	}), nil
}

// officeVisit makes sure a visit belongs to an office the clerk serves and
// returns the clerk's context.
func (b *bridge) officeVisit(ctx context.Context, p web.Principal, visitID string) (domain.VisitID, domain.OfficeID, command.Context, error) {
	id, err := idOf(domain.ParseID[domain.VisitID], visitID, "visit")
	if err != nil {
		return id, domain.OfficeID{}, command.Context{}, err
	}
	vv, ok := b.Models.Queues.Visit(id, b.Now())
	if !ok {
		return id, domain.OfficeID{}, command.Context{}, notFound("visit")
	}
	c, err := b.clerk(ctx, p, vv.OfficeID)
	if err != nil {
		return id, domain.OfficeID{}, command.Context{}, notFound("visit")
	}
	return id, vv.OfficeID, c, nil
}

func (d desk) Admit(ctx context.Context, p web.Principal, officeID, visitID string) (string, error) {
	b := d.b
	oid, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return "", err
	}
	c, err := b.clerk(ctx, p, oid)
	if err != nil {
		return "", err
	}
	var ad visits.Admission
	if visitID == "" {
		if b.App.Commands.AdmitNext == nil {
			return "", domain.Precondition("admit_next_unavailable", "admitting the next visit needs the queue")
		}
		ad, err = b.App.Commands.AdmitNext.Handle(ctx, c, visits.AdmitNext{OfficeID: oid})
	} else {
		id, at, _, verr := b.officeVisit(ctx, p, visitID)
		if verr != nil || at != oid {
			return "", notFound("visit")
		}
		ad, err = b.App.Commands.AdmitVisit.Handle(ctx, c, visits.AdmitVisit{VisitID: id})
	}
	if err != nil {
		return "", err
	}
	// The call page reads the admission from the queue model, the case
	// pages the case from the case list.
	b.until(ctx, readside.Filter{VisitID: ad.VisitID}, func() bool {
		vv, ok := b.Models.Queues.Visit(ad.VisitID, b.Now())
		return ok && !vv.CallID.IsZero() && (vv.Status == visit.StatusAdmitted || vv.Status == visit.StatusInCall)
	})
	b.until(ctx, readside.Filter{CaseID: ad.CaseID}, func() bool {
		_, ok := b.Models.Cases.Case(ad.CaseID)
		return ok
	})
	return ad.VisitID.String(), nil
}

func (d desk) Decline(ctx context.Context, p web.Principal, visitID, reason, referral string) error {
	b := d.b
	id, from, c, err := b.officeVisit(ctx, p, visitID)
	if err != nil {
		return err
	}
	cmd := visits.Decline{VisitID: id, Reason: reason}
	if referral = strings.TrimSpace(referral); referral != "" {
		to, svc, ok := b.referralTarget(ctx, from, referral)
		if ok {
			cmd.ReferToOffice, cmd.ReferToService = to, svc
		} else {
			// Not an office we know: tell the citizen where to go instead.
			cmd.Reason = strings.TrimSpace(reason + " – " + referral)
		}
	}
	saved, err := b.App.Commands.Decline.Handle(ctx, c, cmd)
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

// referralTarget finds the office a referral names (by ID or by name) and
// the service the visit continues with there: the same service when the
// office offers it, else its first.
func (b *bridge) referralTarget(ctx context.Context, from domain.OfficeID, referral string) (domain.OfficeID, domain.ServiceID, bool) {
	for _, id := range b.officeIDs() {
		if id == from {
			continue
		}
		o, err := b.office(ctx, id)
		if err != nil {
			continue
		}
		if id.String() != referral && !strings.EqualFold(o.Name(), referral) {
			continue
		}
		if svcs := o.Services(); len(svcs) > 0 {
			return id, svcs[0].ID(), true
		}
	}
	return domain.OfficeID{}, domain.ServiceID{}, false
}

func (d desk) Message(ctx context.Context, p web.Principal, visitID, text string) error {
	b := d.b
	id, _, c, err := b.officeVisit(ctx, p, visitID)
	if err != nil {
		return err
	}
	saved, err := b.App.Commands.SendMessage.Handle(ctx, c, visits.SendMessage{VisitID: id, Text: text})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func (d desk) SendBack(ctx context.Context, p web.Principal, visitID string) error {
	b := d.b
	id, _, c, err := b.officeVisit(ctx, p, visitID)
	if err != nil {
		return err
	}
	saved, err := b.App.Commands.ReturnToWaitingRoom.Handle(ctx, c, visits.ReturnToWaitingRoom{VisitID: id})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func (d desk) JoinCall(ctx context.Context, p web.Principal, visitID string) (web.CallView, error) {
	b := d.b
	id, _, c, err := b.officeVisit(ctx, p, visitID)
	if err != nil {
		return web.CallView{}, err
	}
	vv, err := b.admittedVisit(id)
	if err != nil {
		return web.CallView{}, err
	}
	if vv.ClerkID.String() != c.Actor.ID() {
		return web.CallView{}, domain.Forbidden("not_admitting_clerk", "another clerk admitted this visit")
	}
	return b.callView(ctx, c, vv, "")
}
