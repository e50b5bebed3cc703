package office

import (
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// EstablishCommand creates an office.
type EstablishCommand struct {
	OfficeID     domain.OfficeID
	DepartmentID domain.DepartmentID
	Name         string
	Services     []Service
	Hours        hours.Schedule
	// SlotCapacity is how many appointments one slot can take (>= 1).
	SlotCapacity int
}

// Establish validates cmd and returns a new office holding OfficeEstablished.
func Establish(cmd EstablishCommand, at time.Time) (*Office, error) {
	var errs []error
	errs = append(errs, domain.RequireID("office id", cmd.OfficeID), domain.RequireID("department id", cmd.DepartmentID))
	name, err := domain.CleanText("office name", cmd.Name, 1, 120, false)
	errs = append(errs, err)
	if cmd.SlotCapacity < 1 || cmd.SlotCapacity > 100 {
		errs = append(errs, domain.Wrapf(ErrInvalidOffice, "slot capacity %d must be 1..100", cmd.SlotCapacity))
	}
	seen := map[domain.ServiceID]bool{}
	services := make([]ServiceData, 0, len(cmd.Services))
	for _, s := range cmd.Services {
		if s.IsZero() {
			errs = append(errs, domain.Wrapf(ErrInvalidService, "zero service"))
			continue
		}
		if seen[s.id] {
			errs = append(errs, domain.Wrapf(ErrInvalidService, "service %s listed twice", s.id))
		}
		seen[s.id] = true
		services = append(services, s.data())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	o := &Office{}
	o.record(OfficeEstablished{
		OfficeID: cmd.OfficeID, DepartmentID: cmd.DepartmentID, Name: name, Services: services,
		Hours: cmd.Hours.Spec(), SlotCapacity: cmd.SlotCapacity, EstablishedAt: at,
	})
	return o, nil
}
