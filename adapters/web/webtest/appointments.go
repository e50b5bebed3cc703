package webtest

import (
	"context"
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/domain"
)

type appointments struct{ f *Fake }

// slotsOn returns the slots of a weekday: every half hour 09:00–11:30.
func (a appointments) slotsOn(day string) ([]web.SlotView, error) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return nil, domain.Invalid("bad_day", "bad day")
	}
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return nil, nil
	}
	var out []web.SlotView
	for m := 9 * 60; m < 12*60; m += 30 {
		s := d.Add(time.Duration(m) * time.Minute)
		out = append(out, web.SlotView{ID: s.Format("200601021504"), Start: s, End: s.Add(20 * time.Minute)})
	}
	return out, nil
}

func (a appointments) taken(officeID, slotID string) bool {
	for _, x := range a.f.appts {
		if x.OfficeID == officeID && x.Status == web.AppointmentBooked && x.Start.Format("200601021504") == slotID {
			return true
		}
	}
	return false
}

func (a appointments) Days(_ context.Context, officeID, _ string, from time.Time, n int) ([]web.DayView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	var out []web.DayView
	for i := 1; i <= n; i++ {
		day := from.AddDate(0, 0, i).Format(time.DateOnly)
		slots, _ := a.slotsOn(day)
		free := 0
		for _, s := range slots {
			if !a.taken(officeID, s.ID) {
				free++
			}
		}
		out = append(out, web.DayView{Date: day, FreeSlots: free})
	}
	return out, nil
}

func (a appointments) Slots(_ context.Context, officeID, _ string, day string) ([]web.SlotView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	all, err := a.slotsOn(day)
	if err != nil {
		return nil, err
	}
	var out []web.SlotView
	for _, s := range all {
		if !a.taken(officeID, s.ID) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (a appointments) slot(id string) (web.SlotView, error) {
	if len(id) != 12 {
		return web.SlotView{}, domain.Invalid("bad_slot", "bad slot")
	}
	slots, err := a.slotsOn(id[:4] + "-" + id[4:6] + "-" + id[6:8])
	if err != nil {
		return web.SlotView{}, err
	}
	for _, s := range slots {
		if s.ID == id {
			return s, nil
		}
	}
	return web.SlotView{}, domain.Invalid("bad_slot", "bad slot")
}

func (a appointments) Book(_ context.Context, r web.BookRequest) (web.AppointmentView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	o, err := a.f.office(r.OfficeID)
	if err != nil {
		return web.AppointmentView{}, err
	}
	s, err := a.slot(r.SlotID)
	if err != nil {
		return web.AppointmentView{}, err
	}
	if code, ok := a.f.booked[r.RequestID]; ok && r.RequestID != "" { // a repeated request books once
		return *a.f.appts[code], nil
	}
	if a.taken(r.OfficeID, r.SlotID) {
		return web.AppointmentView{}, domain.Conflict("slot_taken", "slot taken")
	}
	svc := r.ServiceID
	for _, x := range o.Services {
		if x.ID == r.ServiceID {
			svc = x.Name
		}
	}
	a.f.nextID++
	code := fmt.Sprintf("T%03d-%s", a.f.nextID, r.SlotID[8:])
	v := &web.AppointmentView{Code: code, OfficeID: o.ID, OfficeName: o.Name, ServiceID: r.ServiceID, ServiceName: svc,
		Start: s.Start, End: s.End, Status: web.AppointmentBooked, DisplayName: r.DisplayName}
	a.f.appts[code] = v
	if r.RequestID != "" {
		a.f.booked[r.RequestID] = code
	}
	return *v, nil
}

func (a appointments) Find(_ context.Context, code string) (web.AppointmentView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	x, ok := a.f.appts[code]
	if !ok {
		return web.AppointmentView{}, notFound("appointment")
	}
	return *x, nil
}

func (a appointments) Cancel(_ context.Context, code string) error {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	x, ok := a.f.appts[code]
	if !ok {
		return notFound("appointment")
	}
	if x.Status != web.AppointmentBooked {
		return domain.Precondition("appointment_not_booked", "the appointment is no longer booked")
	}
	x.Status = web.AppointmentCancelled
	return nil
}

func (a appointments) Reschedule(_ context.Context, code, slotID string) (web.AppointmentView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	x, ok := a.f.appts[code]
	if !ok {
		return web.AppointmentView{}, notFound("appointment")
	}
	s, err := a.slot(slotID)
	if err != nil {
		return web.AppointmentView{}, err
	}
	if a.taken(x.OfficeID, slotID) {
		return web.AppointmentView{}, domain.Conflict("slot_taken", "slot taken")
	}
	x.Start, x.End = s.Start, s.End
	return *x, nil
}

func (a appointments) Today(_ context.Context, _ web.Principal, officeID, day string) ([]web.AppointmentView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	var out []web.AppointmentView
	for _, x := range a.f.appts {
		if x.OfficeID == officeID && x.Start.Format(time.DateOnly) == day {
			out = append(out, *x)
		}
	}
	return out, nil
}
