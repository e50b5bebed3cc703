package visit

import (
	"fmt"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// Visit is the visit aggregate. Create it with Knock, load it with
// FromEvents; the zero value is not usable.
type Visit struct {
	domain.Base
	id              domain.VisitID
	request         domain.RequestID
	office          domain.OfficeID
	service         domain.ServiceID
	displayName     string
	appointmentID   domain.AppointmentID
	appointmentCode appointment.Code
	appointmentSlot time.Time
	language        Language
	needs           []Need
	knockedAt       time.Time
	status          Status
	presenceLostAt  time.Time // zero while the page is present
	clerk           domain.ClerkID
	caseID          domain.CaseID
	caseRef         casefile.Reference
	call            domain.CallID
	callStartedAt   time.Time
	finishedAt      time.Time
}

// FromEvents rehydrates a visit from its stream, oldest event first.
func FromEvents(history []domain.Event) (*Visit, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	if _, ok := history[0].(VisitKnocked); !ok {
		return nil, domain.Wrapf(domain.ErrUnknownEvent, "visit stream starts with %s", history[0].EventType())
	}
	v := &Visit{}
	for _, e := range history {
		if err := v.apply(e); err != nil {
			return nil, err
		}
		v.Loaded()
	}
	return v, nil
}

func (v *Visit) record(e domain.Event) {
	if err := v.apply(e); err != nil {
		panic(fmt.Sprintf("visit: recorded event does not apply: %v", err)) // programming error
	}
	v.Track(e)
}

func (v *Visit) apply(e domain.Event) error {
	switch e := e.(type) {
	case VisitKnocked:
		v.id, v.request, v.office, v.service = e.VisitID, e.RequestID, e.OfficeID, e.ServiceID
		v.displayName, v.language, v.needs, v.knockedAt = e.DisplayName, e.Language, slices.Clone(e.Needs), e.KnockedAt
		v.appointmentID, v.appointmentCode, v.appointmentSlot = e.AppointmentID, e.AppointmentCode, e.AppointmentSlot
		v.status = StatusWaiting
	case VisitPresenceLost:
		v.presenceLostAt = e.At
	case VisitPresenceRegained:
		v.presenceLostAt = time.Time{}
	case VisitExpired:
		v.status, v.finishedAt = StatusExpired, e.ExpiredAt
	case VisitWithdrawn:
		v.status, v.finishedAt = StatusWithdrawn, e.WithdrawnAt
	case VisitDeclined:
		v.status, v.finishedAt = StatusDeclined, e.DeclinedAt
	case VisitReferred:
		v.office, v.service = e.ToOfficeID, e.ToServiceID
	case VisitMessageSent:
	case VisitAdmitted:
		v.status, v.clerk, v.caseID, v.caseRef, v.call = StatusAdmitted, e.ClerkID, e.CaseID, e.CaseReference, e.CallID
		v.presenceLostAt = time.Time{}
	case VisitCallStarted:
		v.status, v.callStartedAt = StatusInCall, e.StartedAt
	case VisitCallEnded:
		v.status, v.callStartedAt = StatusAdmitted, time.Time{}
	case VisitReturnedToWaitingRoom:
		v.status, v.clerk, v.call = StatusWaiting, domain.ClerkID{}, domain.CallID{}
	case VisitEnded:
		v.status, v.finishedAt = StatusEnded, e.EndedAt
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "visit: %s", e.EventType())
	}
	return nil
}

func (v *Visit) ID() domain.VisitID                        { return v.id }
func (v *Visit) RequestID() domain.RequestID               { return v.request }
func (v *Visit) Office() domain.OfficeID                   { return v.office }
func (v *Visit) Service() domain.ServiceID                 { return v.service }
func (v *Visit) DisplayName() string                       { return v.displayName }
func (v *Visit) AppointmentID() domain.AppointmentID       { return v.appointmentID }
func (v *Visit) AppointmentCode() appointment.Code         { return v.appointmentCode }
func (v *Visit) AppointmentSlot() time.Time                { return v.appointmentSlot }
func (v *Visit) Language() Language                        { return v.language }
func (v *Visit) Needs() []Need                             { return slices.Clone(v.needs) }
func (v *Visit) KnockedAt() time.Time                      { return v.knockedAt }
func (v *Visit) Status() Status                            { return v.status }
func (v *Visit) Clerk() domain.ClerkID                     { return v.clerk }
func (v *Visit) Case() (domain.CaseID, casefile.Reference) { return v.caseID, v.caseRef }
func (v *Visit) Call() domain.CallID                       { return v.call }

// PresenceLostAt is when the waiting page went away; zero while present.
func (v *Visit) PresenceLostAt() time.Time { return v.presenceLostAt }
