package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

type slotsInput struct {
	OfficeID  string `path:"officeId" format:"uuid" maxLength:"36"`
	ServiceID string `path:"serviceId" format:"uuid" maxLength:"36"`
	From      string `query:"from" format:"date" maxLength:"10" doc:"First Berlin date (default today)"`
	Days      int    `query:"days" minimum:"1" maximum:"31" default:"7"`
}

// Slot is a bookable time.
type Slot struct {
	Start time.Time `json:"start" maxLength:"40"`
	End   time.Time `json:"end" maxLength:"40"`
	Free  int       `json:"free" minimum:"0" doc:"Appointments still bookable at this time"`
}

// DaySlots are the free slots of one Berlin date.
type DaySlots struct {
	Date  string `json:"date" format:"date" maxLength:"10"`
	Slots []Slot `json:"slots" maxItems:"1000"`
}

type slotsOutput struct {
	Body struct {
		Days []DaySlots `json:"days" maxItems:"31"`
	}
}

type bookInput struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36"`
	Body     struct {
		RequestID   string    `json:"requestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this booking: repeating it returns the same appointment"`
		ServiceID   string    `json:"serviceId" format:"uuid" maxLength:"36"`
		SlotStart   time.Time `json:"slotStart" maxLength:"40" doc:"Start of a free slot (list-slots)"`
		DisplayName string    `json:"displayName" minLength:"1" maxLength:"40" doc:"How the clerk may address you"`
	}
}

// Booked is a booked appointment with the citizen's code and token.
type Booked struct {
	AppointmentID string    `json:"appointmentId" format:"uuid" maxLength:"36"`
	Code          string    `json:"code" maxLength:"32" doc:"Give it when knocking for the appointment"`
	Token         string    `json:"token" maxLength:"128" doc:"Capability token of this appointment (256 bits); keep it secret"`
	SlotStart     time.Time `json:"slotStart" maxLength:"40"`
	SlotEnd       time.Time `json:"slotEnd" maxLength:"40"`
	Repeated      bool      `json:"repeated"`
}

type bookOutput struct{ Body Booked }

// AppointmentPath names an appointment (route input).
type AppointmentPath struct {
	AppointmentID string `path:"appointmentId" format:"uuid" maxLength:"36"`
}

type getAppointmentInput struct {
	OfficeID      string `path:"officeId" format:"uuid" maxLength:"36"`
	AppointmentID string `path:"appointmentId" format:"uuid" maxLength:"36"`
	Date          string `query:"date" required:"true" format:"date" maxLength:"10" doc:"Berlin date of the appointment (from the booking)"`
}

// Appointment is a booked appointment as the calendar shows it.
type Appointment struct {
	AppointmentID string    `json:"appointmentId" format:"uuid" maxLength:"36"`
	ServiceID     string    `json:"serviceId" format:"uuid" maxLength:"36"`
	Start         time.Time `json:"start" maxLength:"40"`
	End           time.Time `json:"end" maxLength:"40"`
	Status        string    `json:"status" maxLength:"20"`
	VisitID       string    `json:"visitId,omitempty" maxLength:"36" doc:"Set once checked in by knocking"`
}

func appointmentOf(b readmodel.BookedAppointment) Appointment {
	return Appointment{
		AppointmentID: b.AppointmentID.String(), ServiceID: b.ServiceID.String(), Start: b.Start, End: b.End,
		Status: b.Status.String(), VisitID: optID(b.VisitID),
	}
}

type appointmentOutput struct{ Body Appointment }

type cancelInput struct {
	AppointmentPath
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"500"`
	} `required:"false"`
}

type rescheduleInput struct {
	AppointmentPath
	Body struct {
		NewStart time.Time `json:"newStart" maxLength:"40" doc:"Start of another free slot of the same service"`
	}
}

type calendarInput struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36"`
	Date     string `query:"date" format:"date" maxLength:"10" doc:"Berlin date (default today)"`
}

type calendarOutput struct {
	Body struct {
		Date         string        `json:"date" format:"date" maxLength:"10"`
		SlotCapacity int           `json:"slotCapacity" minimum:"0"`
		Appointments []Appointment `json:"appointments" maxItems:"10000"`
	}
}

func registerAppointmentRoutes(a *API) {
	citizen := Permission{Audience: Citizen, Subject: SubjectAppointment, SubjectParam: "appointmentId"}
	errs := []int{http.StatusNotFound, http.StatusConflict}
	Register(a, huma.Operation{
		OperationID: "list-slots", Method: http.MethodGet, Path: "/offices/{officeId}/services/{serviceId}/slots",
		Summary: "Free appointment slots of a service", Tags: []string{"citizen", "public"}, Errors: []int{http.StatusNotFound},
	}, Permission{Audience: Anyone}, a.listSlots)
	Register(a, huma.Operation{
		OperationID: "book-appointment", Method: http.MethodPost, Path: "/offices/{officeId}/appointments", DefaultStatus: http.StatusCreated,
		Summary: "Book an appointment", Description: "Returns the appointment's code (for knocking) and its capability token.",
		Tags: []string{"citizen"}, Errors: errs,
	}, Permission{Audience: Anyone}, a.bookAppointment, WithRateLimit(RateKnock), WithIdempotency())
	Register(a, huma.Operation{
		OperationID: "get-appointment", Method: http.MethodGet, Path: "/offices/{officeId}/appointments/{appointmentId}",
		Summary: "A booked appointment", Errors: []int{http.StatusNotFound},
	}, citizen, a.getAppointment)
	Register(a, huma.Operation{
		OperationID: "cancel-appointment", Method: http.MethodPost, Path: "/appointments/{appointmentId}/cancel", DefaultStatus: http.StatusNoContent,
		Summary: "Cancel an appointment", Errors: errs,
	}, citizen, a.cancelAppointment)
	Register(a, huma.Operation{
		OperationID: "reschedule-appointment", Method: http.MethodPost, Path: "/appointments/{appointmentId}/reschedule", DefaultStatus: http.StatusNoContent,
		Summary: "Move an appointment to another free slot", Errors: errs,
	}, citizen, a.rescheduleAppointment)
	Register(a, huma.Operation{
		OperationID: "get-office-calendar", Method: http.MethodGet, Path: "/offices/{officeId}/calendar",
		Summary: "An office's appointments of one day", Tags: []string{"clerk"},
	}, Permission{Audience: Clerk, OfficeParam: "officeId"}, a.getCalendar)
}

// berlinDate parses an optional date, defaulting to today in Berlin.
func (a *API) berlinDate(field, s string) (hours.Date, error) {
	if s == "" {
		return hours.BerlinDate(a.cfg.Now()), nil
	}
	d, err := hours.ParseDate(s)
	if err != nil {
		return hours.Date{}, invalidField(field, "must be a date YYYY-MM-DD")
	}
	return d, nil
}

func (a *API) listSlots(ctx context.Context, in *slotsInput) (*slotsOutput, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	q := appointments.FreeSlots{Days: in.Days}
	if q.OfficeID, err = idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID]); err != nil {
		return nil, err
	}
	if q.ServiceID, err = idOf("path.serviceId", in.ServiceID, domain.ParseID[domain.ServiceID]); err != nil {
		return nil, err
	}
	if q.From, err = a.berlinDate("query.from", in.From); err != nil {
		return nil, err
	}
	days, err := app.Queries.FreeSlots.Handle(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &slotsOutput{}
	out.Body.Days = make([]DaySlots, 0, len(days))
	for _, d := range days {
		ds := DaySlots{Date: d.Date.String(), Slots: make([]Slot, 0, len(d.Slots))}
		for _, s := range d.Slots {
			ds.Slots = append(ds.Slots, Slot{Start: s.Start, End: s.End, Free: s.Free})
		}
		out.Body.Days = append(out.Body.Days, ds)
	}
	return out, nil
}

func (a *API) bookAppointment(ctx context.Context, in *bookInput) (*bookOutput, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	cmd := appointments.BookAppointment{SlotStart: in.Body.SlotStart, DisplayName: in.Body.DisplayName}
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
	c := CommandContext(ctx)
	c.Actor, _ = domain.NewActor(domain.RoleCitizen, "anonymous")
	b, err := app.Commands.BookAppointment.Handle(ctx, c, cmd)
	if err != nil {
		return nil, err
	}
	return &bookOutput{Body: Booked{
		AppointmentID: b.AppointmentID.String(), Code: b.Code.String(), Token: b.Token,
		SlotStart: b.SlotStart, SlotEnd: b.SlotEnd, Repeated: b.Repeated,
	}}, nil
}

func (a *API) getAppointment(ctx context.Context, in *getAppointmentInput) (*appointmentOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	office, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.appointmentId", in.AppointmentID, domain.ParseID[domain.AppointmentID])
	if err != nil {
		return nil, err
	}
	date, err := a.berlinDate("query.date", in.Date)
	if err != nil {
		return nil, err
	}
	if day, ok := m.Calendar.Day(office, date, a.cfg.Now()); ok {
		for _, b := range day.Appointments {
			if b.AppointmentID == id {
				return &appointmentOutput{Body: appointmentOf(b)}, nil
			}
		}
	}
	return nil, NewProblem(http.StatusNotFound, CodeNotFound, "no such appointment in this office on that date")
}

func (a *API) cancelAppointment(ctx context.Context, in *cancelInput) (*struct{}, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.appointmentId", in.AppointmentID, domain.ParseID[domain.AppointmentID])
	if err != nil {
		return nil, err
	}
	cmd := appointments.CancelAppointment{AppointmentID: id, Token: a.citizenToken(ctx)}
	if in.Body != nil {
		cmd.Reason = in.Body.Reason
	}
	return nil, app.Commands.CancelAppointment.Handle(ctx, CommandContext(ctx), cmd)
}

func (a *API) rescheduleAppointment(ctx context.Context, in *rescheduleInput) (*struct{}, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.appointmentId", in.AppointmentID, domain.ParseID[domain.AppointmentID])
	if err != nil {
		return nil, err
	}
	return nil, app.Commands.RescheduleAppointment.Handle(ctx, CommandContext(ctx), appointments.RescheduleAppointment{
		AppointmentID: id, Token: a.citizenToken(ctx), NewStart: in.Body.NewStart,
	})
}

func (a *API) getCalendar(ctx context.Context, in *calendarInput) (*calendarOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	office, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	date, err := a.berlinDate("query.date", in.Date)
	if err != nil {
		return nil, err
	}
	out := &calendarOutput{}
	out.Body.Date = date.String()
	out.Body.Appointments = []Appointment{}
	if day, ok := m.Calendar.Day(office, date, a.cfg.Now()); ok {
		out.Body.SlotCapacity = day.SlotCapacity
		for _, b := range day.Appointments {
			out.Body.Appointments = append(out.Body.Appointments, appointmentOf(b))
		}
	}
	return out, nil
}
