package application

import (
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/staff"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// EventTypes lists every event type of the system, the domain's and the
// application's own, so the composition root builds the event store's
// registry in one call: eventstore.NewRegistry(application.EventTypes()...).
func EventTypes() []domain.Event {
	var out []domain.Event
	for _, list := range [][]domain.Event{
		office.EventTypes(), visit.EventTypes(), appointment.EventTypes(), casefile.EventTypes(),
		staff.EventTypes(), audit.EventTypes(),
	} {
		out = append(out, list...)
	}
	return out
}
