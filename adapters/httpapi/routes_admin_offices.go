package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// Interval is one opening interval in Berlin time, e.g. 08:00–12:30.
type Interval struct {
	From string `json:"from" pattern:"^[0-2][0-9]:[0-5][0-9]$" maxLength:"5"`
	To   string `json:"to" pattern:"^[0-2][0-9]:[0-5][0-9]$" maxLength:"5"`
}

// WeekDay lists the opening intervals of one weekday.
type WeekDay struct {
	Weekday   string     `json:"weekday" enum:"monday,tuesday,wednesday,thursday,friday,saturday,sunday"`
	Intervals []Interval `json:"intervals" maxItems:"8"`
}

// HoursException changes the hours of one date (holiday, closure).
type HoursException struct {
	Closed    bool       `json:"closed,omitempty"`
	Intervals []Interval `json:"intervals,omitempty" maxItems:"8"`
	Note      string     `json:"note,omitempty" maxLength:"120"`
}

// ServiceSpec is a service an office offers.
type ServiceSpec struct {
	ServiceID              string `json:"serviceId,omitempty" format:"uuid" maxLength:"36" doc:"Default: a new ID"`
	Name                   string `json:"name" minLength:"1" maxLength:"120"`
	TypicalDurationMinutes int    `json:"typicalDurationMinutes" minimum:"1" maximum:"480"`
}

type createOfficeInput struct {
	Body struct {
		OfficeID     string        `json:"officeId,omitempty" format:"uuid" maxLength:"36" doc:"Default: a new ID; repeating a create with the same ID, name and department is harmless"`
		DepartmentID string        `json:"departmentId" format:"uuid" maxLength:"36"`
		Name         string        `json:"name" minLength:"1" maxLength:"120"`
		Services     []ServiceSpec `json:"services" maxItems:"200"`
		Weekly       []WeekDay     `json:"weekly" maxItems:"7"`
		SlotCapacity int           `json:"slotCapacity" minimum:"0" maximum:"1000"`
	}
}

type createdOffice struct {
	Body struct {
		OfficeID string `json:"officeId" format:"uuid" maxLength:"36"`
		Created  bool   `json:"created"`
	}
}

type hoursInput struct {
	OfficePath
	Body struct {
		Weekly []WeekDay `json:"weekly" maxItems:"7"`
	}
}

// ExceptionPath names one date of an office's hours (route input).
type ExceptionPath struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36"`
	Date     string `path:"date" format:"date" maxLength:"10"`
}

type exceptionInput struct {
	ExceptionPath
	Body HoursException
}

// ServicePath names a service of an office (route input).
type ServicePath struct {
	OfficeID  string `path:"officeId" format:"uuid" maxLength:"36"`
	ServiceID string `path:"serviceId" format:"uuid" maxLength:"36"`
}

type offerServiceInput struct {
	ServicePath
	Body struct {
		Name                   string `json:"name" minLength:"1" maxLength:"120"`
		TypicalDurationMinutes int    `json:"typicalDurationMinutes" minimum:"1" maximum:"480"`
	}
}

type capacityInput struct {
	OfficePath
	Body struct {
		SlotCapacity int `json:"slotCapacity" minimum:"0" maximum:"1000" doc:"Appointments per slot"`
	}
}

func registerAdminOfficeRoutes(a *API) {
	admin := Permission{Audience: Admin}
	errs := []int{http.StatusNotFound, http.StatusConflict}
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, DefaultStatus: status, Tags: []string{"admin"}, Errors: errs}
	}
	Register(a, op("create-office", http.MethodPost, "/offices", "Establish an office", http.StatusCreated), admin, a.createOffice, WithIdempotency())
	Register(a, op("set-opening-hours", http.MethodPut, "/offices/{officeId}/hours", "Replace an office's weekly hours", http.StatusNoContent), admin,
		officeCommandOf(a, func(ctx context.Context, c command.Context, id domain.OfficeID, in *hoursInput) (command.Saved, error) {
			return a.deps.App.Commands.SetOpeningHours.Handle(ctx, c, offices.SetOpeningHours{OfficeID: id, Hours: hours.Spec{Weekly: weeklySpec(in.Body.Weekly)}})
		}))
	Register(a, op("set-hours-exception", http.MethodPut, "/offices/{officeId}/exceptions/{date}", "Set the hours of one date (holiday, closure)", http.StatusNoContent), admin,
		officeCommandOf(a, func(ctx context.Context, c command.Context, id domain.OfficeID, in *exceptionInput) (command.Saved, error) {
			return a.deps.App.Commands.SetHoursException.Handle(ctx, c, offices.SetHoursException{OfficeID: id, Exception: hours.ExceptionSpec{
				Date: in.Date, Closed: in.Body.Closed, Intervals: intervalSpecs(in.Body.Intervals), Note: in.Body.Note,
			}})
		}))
	Register(a, op("remove-hours-exception", http.MethodDelete, "/offices/{officeId}/exceptions/{date}", "Remove the exception of one date", http.StatusNoContent), admin,
		officeCommandOf(a, func(ctx context.Context, c command.Context, id domain.OfficeID, in *ExceptionPath) (command.Saved, error) {
			return a.deps.App.Commands.RemoveHoursException.Handle(ctx, c, offices.RemoveHoursException{OfficeID: id, Date: in.Date})
		}))
	Register(a, op("offer-service", http.MethodPut, "/offices/{officeId}/services/{serviceId}", "Offer a service", http.StatusNoContent), admin,
		officeCommandOf(a, func(ctx context.Context, c command.Context, id domain.OfficeID, in *offerServiceInput) (command.Saved, error) {
			sid, err := idOf("path.serviceId", in.ServiceID, domain.ParseID[domain.ServiceID])
			if err != nil {
				return command.Saved{}, err
			}
			return a.deps.App.Commands.OfferService.Handle(ctx, c, offices.OfferService{OfficeID: id, Service: offices.ServiceSpec{
				ID: sid, Name: in.Body.Name, TypicalDuration: time.Duration(in.Body.TypicalDurationMinutes) * time.Minute,
			}})
		}))
	Register(a, op("withdraw-service", http.MethodDelete, "/offices/{officeId}/services/{serviceId}", "Stop offering a service", http.StatusNoContent), admin,
		officeCommandOf(a, func(ctx context.Context, c command.Context, id domain.OfficeID, in *ServicePath) (command.Saved, error) {
			sid, err := idOf("path.serviceId", in.ServiceID, domain.ParseID[domain.ServiceID])
			if err != nil {
				return command.Saved{}, err
			}
			return a.deps.App.Commands.WithdrawService.Handle(ctx, c, offices.WithdrawService{OfficeID: id, ServiceID: sid})
		}))
	Register(a, op("set-slot-capacity", http.MethodPut, "/offices/{officeId}/slot-capacity", "Set how many appointments a slot takes", http.StatusNoContent), admin,
		officeCommandOf(a, func(ctx context.Context, c command.Context, id domain.OfficeID, in *capacityInput) (command.Saved, error) {
			return a.deps.App.Commands.SetSlotCapacity.Handle(ctx, c, offices.SetSlotCapacity{OfficeID: id, SlotCapacity: in.Body.SlotCapacity})
		}))
}

func intervalSpecs(in []Interval) []hours.IntervalSpec {
	out := make([]hours.IntervalSpec, 0, len(in))
	for _, i := range in {
		out = append(out, hours.IntervalSpec{From: i.From, To: i.To})
	}
	return out
}

func weeklySpec(in []WeekDay) []hours.DaySpec {
	out := make([]hours.DaySpec, 0, len(in))
	for _, d := range in {
		out = append(out, hours.DaySpec{Weekday: d.Weekday, Intervals: intervalSpecs(d.Intervals)})
	}
	return out
}

func (a *API) createOffice(ctx context.Context, in *createOfficeInput) (*createdOffice, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	b := in.Body
	cmd := offices.EstablishOffice{Name: b.Name, SlotCapacity: b.SlotCapacity, Hours: hours.Spec{Weekly: weeklySpec(b.Weekly)}}
	cmd.OfficeID = domain.IDFrom[domain.OfficeID](uuid.New())
	if b.OfficeID != "" {
		if cmd.OfficeID, err = idOf("body.officeId", b.OfficeID, domain.ParseID[domain.OfficeID]); err != nil {
			return nil, err
		}
	}
	if cmd.DepartmentID, err = idOf("body.departmentId", b.DepartmentID, domain.ParseID[domain.DepartmentID]); err != nil {
		return nil, err
	}
	for _, s := range b.Services {
		spec := offices.ServiceSpec{ID: domain.IDFrom[domain.ServiceID](uuid.New()), Name: s.Name, TypicalDuration: time.Duration(s.TypicalDurationMinutes) * time.Minute}
		if s.ServiceID != "" {
			if spec.ID, err = idOf("body.services.serviceId", s.ServiceID, domain.ParseID[domain.ServiceID]); err != nil {
				return nil, err
			}
		}
		cmd.Services = append(cmd.Services, spec)
	}
	res, err := app.Commands.EstablishOffice.Handle(ctx, CommandContext(ctx), cmd)
	if err != nil {
		return nil, err
	}
	out := &createdOffice{}
	out.Body.OfficeID, out.Body.Created = res.OfficeID.String(), res.Created
	return out, nil
}

type officeInput interface{ officeParam() string }

func (p OfficePath) officeParam() string    { return p.OfficeID }
func (p ExceptionPath) officeParam() string { return p.OfficeID }
func (p ServicePath) officeParam() string   { return p.OfficeID }

// officeCommandOf builds the handler of an office command answering 204
// once the read side shows it.
func officeCommandOf[I any, P interface {
	*I
	officeInput
}](a *API, run func(context.Context, command.Context, domain.OfficeID, P) (command.Saved, error)) func(context.Context, P) (*struct{}, error) {
	return func(ctx context.Context, in P) (*struct{}, error) {
		if _, _, err := a.business(); err != nil {
			return nil, err
		}
		id, err := idOf("path.officeId", in.officeParam(), domain.ParseID[domain.OfficeID])
		if err != nil {
			return nil, err
		}
		saved, err := run(ctx, CommandContext(ctx), id, in)
		if err != nil {
			return nil, err
		}
		a.settle(ctx, saved.Position)
		return nil, nil
	}
}
