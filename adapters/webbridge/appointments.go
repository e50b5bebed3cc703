package webbridge

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// CodeIndex maps appointment confirmation codes to appointments, which no
// read model of the application does (a code is the citizen's handle for
// their appointment on the web pages). It is a read-side handler: the
// composition root adds it to the event bus next to the read models, so
// every instance learns the codes booked anywhere.
type CodeIndex struct {
	mu    sync.RWMutex
	codes map[string]domain.AppointmentID
}

var _ readside.Handler = (*CodeIndex)(nil)

// NewCodeIndex returns an empty index.
func NewCodeIndex() *CodeIndex { return &CodeIndex{codes: map[string]domain.AppointmentID{}} }

// Name implements readside.Handler.
func (x *CodeIndex) Name() string { return "WebAppointmentCodes" }

// Handle implements readside.Handler; it is idempotent.
func (x *CodeIndex) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	if b, ok := e.Event.(appointment.AppointmentBooked); ok {
		x.put(b.Code, b.AppointmentID)
	}
	return nil
}

func (x *CodeIndex) put(c appointment.Code, id domain.AppointmentID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.codes[c.String()] = id
}

// Lookup returns the appointment of a code as a citizen types it (any case,
// with or without the hyphen).
func (x *CodeIndex) Lookup(code string) (domain.AppointmentID, bool) {
	c, err := appointment.ParseCode(strings.TrimSpace(code))
	if err != nil {
		return domain.AppointmentID{}, false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	id, ok := x.codes[c.String()]
	return id, ok
}

type appointmentsPort struct{ b *bridge }

// slotLayout is a slot's ID: its start in UTC.
const slotLayout = "20060102T1504Z"

func slotID(t time.Time) string { return t.UTC().Format(slotLayout) }

func slotStart(id string) (time.Time, error) {
	t, err := time.Parse(slotLayout, id)
	if err != nil {
		return time.Time{}, invalid("slot")
	}
	return t, nil
}

func (b *bridge) officeService(officeID, serviceID string) (domain.OfficeID, domain.ServiceID, error) {
	o, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return o, domain.ServiceID{}, err
	}
	s, err := idOf(domain.ParseID[domain.ServiceID], serviceID, "service")
	return o, s, err
}

func (a appointmentsPort) Days(ctx context.Context, officeID, serviceID string, from time.Time, n int) ([]web.DayView, error) {
	b := a.b
	o, s, err := b.officeService(officeID, serviceID)
	if err != nil {
		return nil, err
	}
	n = min(max(n, 1), appointments.MaxSlotDays)
	days, err := b.App.Queries.FreeSlots.Handle(ctx, appointments.FreeSlots{OfficeID: o, ServiceID: s, From: hours.BerlinDate(from), Days: n})
	if err != nil {
		return nil, err
	}
	out := make([]web.DayView, 0, len(days))
	for _, d := range days {
		free := 0
		for _, sl := range d.Slots {
			if sl.Free > 0 {
				free++
			}
		}
		out = append(out, web.DayView{Date: d.Date.String(), FreeSlots: free})
	}
	return out, nil
}

func (a appointmentsPort) Slots(ctx context.Context, officeID, serviceID, day string) ([]web.SlotView, error) {
	b := a.b
	o, s, err := b.officeService(officeID, serviceID)
	if err != nil {
		return nil, err
	}
	d, err := hours.ParseDate(day)
	if err != nil {
		return nil, invalid("day")
	}
	days, err := b.App.Queries.FreeSlots.Handle(ctx, appointments.FreeSlots{OfficeID: o, ServiceID: s, From: d, Days: 1})
	if err != nil {
		return nil, err
	}
	out := []web.SlotView{}
	for _, dd := range days {
		for _, sl := range dd.Slots {
			if sl.Free > 0 {
				out = append(out, web.SlotView{ID: slotID(sl.Start), Start: sl.Start, End: sl.End})
			}
		}
	}
	return out, nil
}

func (a appointmentsPort) Book(ctx context.Context, r web.BookRequest) (web.AppointmentView, error) {
	b := a.b
	o, s, err := b.officeService(r.OfficeID, r.ServiceID)
	if err != nil {
		return web.AppointmentView{}, err
	}
	start, err := slotStart(r.SlotID)
	if err != nil {
		return web.AppointmentView{}, err
	}
	req := domain.IDFrom[domain.RequestID](uuid.New())
	if r.RequestID != "" { // the form's: a second submit is the same booking
		if req, err = domain.ParseID[domain.RequestID](r.RequestID); err != nil {
			return web.AppointmentView{}, invalid("request")
		}
	}
	bk, err := b.App.Commands.BookAppointment.Handle(ctx, citizenCtx("anonymous"), appointments.BookAppointment{
		RequestID: req, OfficeID: o, ServiceID: s, SlotStart: start, DisplayName: r.DisplayName,
	})
	if err != nil {
		return web.AppointmentView{}, err
	}
	// This instance knows the code at once; others learn it from the bus.
	b.Codes.put(bk.Code, bk.AppointmentID)
	return b.appointmentView(ctx, bk.AppointmentID)
}

func (b *bridge) appointment(ctx context.Context, id domain.AppointmentID) (*appointment.Appointment, error) {
	evs, err := b.loadEvents(ctx, appointment.StreamName(id), "appointment")
	if err != nil {
		return nil, err
	}
	return appointment.FromEvents(domainEvents(evs))
}

func (b *bridge) appointmentView(ctx context.Context, id domain.AppointmentID) (web.AppointmentView, error) {
	ap, err := b.appointment(ctx, id)
	if err != nil {
		return web.AppointmentView{}, err
	}
	v := web.AppointmentView{
		Code: ap.Code().String(), OfficeID: ap.Office().String(), ServiceID: ap.Service().String(),
		Start: ap.Start(), End: ap.End(), Status: ap.Status().String(), DisplayName: ap.DisplayName(),
	}
	if o, err := b.office(ctx, ap.Office()); err == nil {
		v.OfficeName = o.Name()
		if s, ok := o.Service(ap.Service()); ok {
			v.ServiceName = s.Name()
		}
	}
	return v, nil
}

// byCode resolves a code and derives the appointment's capability token:
// on the web pages the code itself is the citizen's capability.
func (b *bridge) byCode(code string) (domain.AppointmentID, string, error) {
	id, ok := b.Codes.Lookup(code)
	if !ok {
		return id, "", notFound("appointment")
	}
	return id, b.App.Tokens.Token(appointments.TokenPurpose, id.UUID()), nil
}

func (a appointmentsPort) Find(ctx context.Context, code string) (web.AppointmentView, error) {
	id, _, err := a.b.byCode(code)
	if err != nil {
		return web.AppointmentView{}, err
	}
	return a.b.appointmentView(ctx, id)
}

func (a appointmentsPort) Cancel(ctx context.Context, code string) error {
	b := a.b
	id, token, err := b.byCode(code)
	if err != nil {
		return err
	}
	return b.App.Commands.CancelAppointment.Handle(ctx, citizenCtx("appointment/"+id.String()), appointments.CancelAppointment{AppointmentID: id, Token: token})
}

func (a appointmentsPort) Reschedule(ctx context.Context, code, slot string) (web.AppointmentView, error) {
	b := a.b
	id, token, err := b.byCode(code)
	if err != nil {
		return web.AppointmentView{}, err
	}
	start, err := slotStart(slot)
	if err != nil {
		return web.AppointmentView{}, err
	}
	if err := b.App.Commands.RescheduleAppointment.Handle(ctx, citizenCtx("appointment/"+id.String()), appointments.RescheduleAppointment{AppointmentID: id, Token: token, NewStart: start}); err != nil {
		return web.AppointmentView{}, err
	}
	return b.appointmentView(ctx, id)
}

func (a appointmentsPort) Today(ctx context.Context, p web.Principal, officeID, day string) ([]web.AppointmentView, error) {
	b := a.b
	id, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return nil, err
	}
	if _, err := b.clerk(ctx, p, id); err != nil {
		return nil, err
	}
	d, err := hours.ParseDate(day)
	if err != nil {
		return nil, invalid("day")
	}
	cal, ok := b.Models.Calendar.Day(id, d, b.Now())
	if !ok {
		return []web.AppointmentView{}, nil
	}
	out := make([]web.AppointmentView, 0, len(cal.Appointments))
	for _, ap := range cal.Appointments {
		v, err := b.appointmentView(ctx, ap.AppointmentID)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
