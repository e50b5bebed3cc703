package office

import (
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Service is something an office offers (Dienstleistung), e.g. "Personalausweis
// beantragen", with its typical duration (used for appointment slots).
type Service struct {
	id              domain.ServiceID
	name            string
	typicalDuration time.Duration
}

// ErrInvalidService is returned for incomplete services.
var ErrInvalidService = domain.Invalid("invalid_service", "invalid service")

// NewService validates name (1..120 characters) and a duration of 5 minutes
// to 8 hours in whole minutes.
func NewService(id domain.ServiceID, name string, typicalDuration time.Duration) (Service, error) {
	if err := domain.RequireID("service id", id); err != nil {
		return Service{}, err
	}
	name, err := domain.CleanText("service name", name, 1, 120, false)
	if err != nil {
		return Service{}, err
	}
	if typicalDuration < 5*time.Minute || typicalDuration > 8*time.Hour || typicalDuration%time.Minute != 0 {
		return Service{}, domain.Wrapf(ErrInvalidService, "typical duration %v must be 5m..8h in whole minutes", typicalDuration)
	}
	return Service{id: id, name: name, typicalDuration: typicalDuration}, nil
}

func (s Service) ID() domain.ServiceID           { return s.id }
func (s Service) Name() string                   { return s.name }
func (s Service) TypicalDuration() time.Duration { return s.typicalDuration }
func (s Service) IsZero() bool                   { return s == Service{} }

func (s Service) data() ServiceData {
	return ServiceData{ID: s.id, Name: s.name, TypicalMinutes: int(s.typicalDuration / time.Minute)}
}

func serviceFrom(d ServiceData) Service {
	return Service{id: d.ID, name: d.Name, typicalDuration: time.Duration(d.TypicalMinutes) * time.Minute}
}
