package webbridge

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// --- administration ---------------------------------------------------------

type admin struct{ b *bridge }

// DefaultSlotCapacity is how many appointments a new office takes per slot.
const DefaultSlotCapacity = 1

func (a admin) Offices(ctx context.Context, p web.Principal) ([]web.AdminOfficeView, error) {
	b := a.b
	if _, err := b.admin(ctx, p); err != nil {
		return nil, err
	}
	views, err := b.officeViews(ctx, b.officeIDs())
	if err != nil {
		return nil, err
	}
	out := make([]web.AdminOfficeView, 0, len(views))
	for _, v := range views {
		av := web.AdminOfficeView{OfficeView: v}
		id, _ := domain.ParseID[domain.OfficeID](v.ID)
		if o, err := b.office(ctx, id); err == nil {
			for _, e := range o.Schedule().Spec().Exceptions {
				ev := web.ExceptionView{Date: e.Date, Closed: e.Closed, Reason: e.Note}
				if len(e.Intervals) > 0 {
					ev.Open, ev.Close = e.Intervals[0].From, e.Intervals[len(e.Intervals)-1].To
				}
				av.Exceptions = append(av.Exceptions, ev)
			}
		}
		out = append(out, av)
	}
	return out, nil
}

func (a admin) CreateOffice(ctx context.Context, p web.Principal, name, description string) (string, error) {
	b := a.b
	c, err := b.admin(ctx, p)
	if err != nil {
		return "", err
	}
	// The domain has no office description yet; the page's text is not kept.
	id := domain.IDFrom[domain.OfficeID](uuid.New())
	res, err := b.App.Commands.EstablishOffice.Handle(ctx, c, offices.EstablishOffice{
		OfficeID: id, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: strings.TrimSpace(name),
		SlotCapacity: DefaultSlotCapacity,
	})
	if err != nil {
		return "", err
	}
	// The office list reads the door model.
	b.until(ctx, officeFilter(res.OfficeID), func() bool {
		_, ok := b.Models.Doors.Door(res.OfficeID, b.Now())
		return ok
	})
	return res.OfficeID.String(), nil
}

func (a admin) AddService(ctx context.Context, p web.Principal, officeID, name string, minutes int) error {
	b := a.b
	c, id, err := a.office(ctx, p, officeID)
	if err != nil {
		return err
	}
	saved, err := b.App.Commands.OfferService.Handle(ctx, c, offices.OfferService{OfficeID: id, Service: offices.ServiceSpec{
		ID: domain.IDFrom[domain.ServiceID](uuid.New()), Name: strings.TrimSpace(name), TypicalDuration: time.Duration(minutes) * time.Minute,
	}})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func (a admin) office(ctx context.Context, p web.Principal, officeID string) (command.Context, domain.OfficeID, error) {
	c, err := a.b.admin(ctx, p)
	if err != nil {
		return c, domain.OfficeID{}, err
	}
	id, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	return c, id, err
}

var webDays = map[string]string{"mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday"}

func (a admin) SetHours(ctx context.Context, p web.Principal, officeID string, week []web.HoursLine) error {
	b := a.b
	c, id, err := a.office(ctx, p, officeID)
	if err != nil {
		return err
	}
	o, err := b.office(ctx, id)
	if err != nil {
		return err
	}
	spec := hours.Spec{Exceptions: o.Schedule().Spec().Exceptions}
	byDay := map[string]int{}
	for _, l := range week {
		day, ok := webDays[l.Day]
		if !ok {
			return invalid("weekday")
		}
		if l.Open == "" && l.Close == "" {
			continue
		}
		i, ok := byDay[day]
		if !ok {
			i = len(spec.Weekly)
			byDay[day] = i
			spec.Weekly = append(spec.Weekly, hours.DaySpec{Weekday: day})
		}
		spec.Weekly[i].Intervals = append(spec.Weekly[i].Intervals, hours.IntervalSpec{From: l.Open, To: l.Close})
	}
	saved, err := b.App.Commands.SetOpeningHours.Handle(ctx, c, offices.SetOpeningHours{OfficeID: id, Hours: spec})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func (a admin) AddException(ctx context.Context, p web.Principal, officeID string, e web.ExceptionView) error {
	b := a.b
	c, id, err := a.office(ctx, p, officeID)
	if err != nil {
		return err
	}
	ex := hours.ExceptionSpec{Date: e.Date, Closed: e.Closed, Note: e.Reason}
	if !e.Closed {
		ex.Intervals = []hours.IntervalSpec{{From: e.Open, To: e.Close}}
	}
	saved, err := b.App.Commands.SetHoursException.Handle(ctx, c, offices.SetHoursException{OfficeID: id, Exception: ex})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func staffView(a appstaff.Account) web.StaffView {
	return web.StaffView{ID: a.ID.String(), Username: a.Username, Name: a.Username, Role: primaryRole(a.Roles), Offices: officeStrings(a.Offices)}
}

func (a admin) Staff(ctx context.Context, p web.Principal) ([]web.StaffView, error) {
	if _, err := a.b.admin(ctx, p); err != nil {
		return nil, err
	}
	accs, err := a.b.Staff.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.StaffView, len(accs))
	for i, acc := range accs {
		out[i] = staffView(acc)
	}
	return out, nil
}

func (a admin) CreateStaff(ctx context.Context, p web.Principal, s web.NewStaff) error {
	c, err := a.b.admin(ctx, p)
	if err != nil {
		return err
	}
	role, err := staff.ParseRole(s.Role)
	if err != nil {
		return err
	}
	// Accounts keep no personal name (s.Name): the user name identifies them.
	_, err = a.b.Staff.Create(ctx, c, appstaff.CreateCommand{Username: s.Username, Password: s.Password, Roles: []staff.Role{role}})
	return err
}

func (a admin) AssignOffices(ctx context.Context, p web.Principal, staffID string, officeIDs []string) error {
	c, err := a.b.admin(ctx, p)
	if err != nil {
		return err
	}
	id, err := idOf(domain.ParseID[staff.UserID], staffID, "staff account")
	if err != nil {
		return err
	}
	ids := make([]domain.OfficeID, 0, len(officeIDs))
	for _, s := range officeIDs {
		oid, err := idOf(domain.ParseID[domain.OfficeID], s, "office")
		if err != nil {
			return err
		}
		ids = append(ids, oid)
	}
	_, err = a.b.Staff.AssignOffices(ctx, c, id, ids)
	return err
}
