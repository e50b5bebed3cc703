package casefile

import (
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// OpenCommand opens a case. The application allocated Reference on the
// ReferenceCounter for CaseID before (see the package doc).
type OpenCommand struct {
	CaseID    domain.CaseID
	Reference Reference
	OfficeID  domain.OfficeID
	ServiceID domain.ServiceID
	VisitID   domain.VisitID // the admission that opened it; may be zero
	ClerkID   domain.ClerkID
}

// Open validates cmd and returns the new case holding CaseOpened.
func Open(cmd OpenCommand, at time.Time) (*Case, error) {
	errs := []error{
		domain.RequireID("case id", cmd.CaseID), domain.RequireID("office id", cmd.OfficeID),
		domain.RequireID("service id", cmd.ServiceID), domain.RequireID("clerk id", cmd.ClerkID),
	}
	if cmd.Reference.IsZero() {
		errs = append(errs, domain.Wrapf(ErrInvalidReference, "reference is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c := &Case{}
	c.record(CaseOpened{
		CaseID: cmd.CaseID, Reference: cmd.Reference, OfficeID: cmd.OfficeID, ServiceID: cmd.ServiceID,
		VisitID: cmd.VisitID, ClerkID: cmd.ClerkID, OpenedAt: at,
	})
	return c, nil
}
