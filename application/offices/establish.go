package offices

import (
	"context"
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// ServiceSpec is a service an office offers, in plain values.
type ServiceSpec struct {
	ID              domain.ServiceID
	Name            string
	TypicalDuration time.Duration
}

// EstablishOffice creates an office. OfficeID is chosen by the caller (seed
// data derives it, the admin API draws it), so a retry with the same ID is
// recognised: establishing the same office twice with the same content
// changes nothing.
type EstablishOffice struct {
	OfficeID     domain.OfficeID
	DepartmentID domain.DepartmentID
	Name         string
	Services     []ServiceSpec
	Hours        hours.Spec
	SlotCapacity int
}

// EstablishOfficeResult says whether the office was created now.
type EstablishOfficeResult struct {
	OfficeID domain.OfficeID
	Created  bool // false: it existed already with the same name and department
}

// ErrOfficeExists is returned when the office ID is taken by a different office.
var ErrOfficeExists = domain.Conflict("office_exists", "an office with this ID exists with other content")

// EstablishOfficeHandler handles EstablishOffice.
type EstablishOfficeHandler struct {
	env  command.Env
	repo *command.Repository[*office.Office]
}

// NewEstablishOfficeHandler refuses an incomplete env.
func NewEstablishOfficeHandler(env command.Env) (EstablishOfficeHandler, error) {
	repo, err := newRepo(env)
	if err != nil {
		return EstablishOfficeHandler{}, err
	}
	return EstablishOfficeHandler{env: env, repo: repo}, nil
}

// Handle establishes the office.
func (h EstablishOfficeHandler) Handle(ctx context.Context, c command.Context, cmd EstablishOffice) (EstablishOfficeResult, error) {
	if err := c.RequireRole(domain.RoleClerk, domain.RoleSystem); err != nil { // citizens and auditors never manage offices
		return EstablishOfficeResult{}, err
	}
	sched, err := hours.New(cmd.Hours)
	if err != nil {
		return EstablishOfficeResult{}, err
	}
	var errs []error
	services := make([]office.Service, 0, len(cmd.Services))
	for _, s := range cmd.Services {
		svc, err := office.NewService(s.ID, s.Name, s.TypicalDuration)
		errs = append(errs, err)
		services = append(services, svc)
	}
	if err := errors.Join(errs...); err != nil {
		return EstablishOfficeResult{}, err
	}
	now := h.env.Clock.Now()
	o, err := office.Establish(office.EstablishCommand{
		OfficeID: cmd.OfficeID, DepartmentID: cmd.DepartmentID, Name: cmd.Name,
		Services: services, Hours: sched, SlotCapacity: cmd.SlotCapacity,
	}, now)
	if err != nil {
		return EstablishOfficeResult{}, err
	}
	stream := office.StreamName(cmd.OfficeID)
	_, err = h.repo.Create(ctx, stream, command.Write{Meta: h.env.Meta(c)}, o)
	if err == nil {
		return EstablishOfficeResult{OfficeID: cmd.OfficeID, Created: true}, nil
	}
	var ce *command.ConflictError
	if !errors.As(err, &ce) {
		return EstablishOfficeResult{}, err
	}
	existing, lerr := h.repo.Load(ctx, stream)
	if lerr != nil {
		return EstablishOfficeResult{}, lerr
	}
	if existing.Aggregate.Name() != o.Name() || existing.Aggregate.Department() != o.Department() {
		return EstablishOfficeResult{}, errors.Join(ErrOfficeExists, err)
	}
	return EstablishOfficeResult{OfficeID: cmd.OfficeID}, nil
}
