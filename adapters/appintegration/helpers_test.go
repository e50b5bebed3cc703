package appintegration_test

import (
	"context"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/system/systemtest"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
)

// monday10 is a Monday at 10:00 in Berlin: the demo offices are open.
var monday10 = systemtest.Monday10

type harness struct {
	*systemtest.Stack
	node  *esdbnodetest.Node
	store eventlog.Store
	app   *application.Application
}

// start runs the product on a node over gRPC, with the demo offices seeded.
func start(tb testing.TB) *harness {
	tb.Helper()
	st := systemtest.Start(tb, systemtest.Options{})
	return &harness{Stack: st, node: st.Node, store: st.Store, app: st.App}
}

// newApp builds another instance of the product on the same node, as a
// second app process would be, and returns its application.
func (h *harness) newApp(tb testing.TB) *application.Application { return h.Another(tb).App }

func (h *harness) setNow(t time.Time) { h.Set(t) }

func (h *harness) load(tb testing.TB, stream string) []eventlog.RecordedEvent {
	tb.Helper()
	evs, err := h.store.Load(context.Background(), stream)
	if err != nil {
		tb.Fatal(err)
	}
	return evs
}

func newClerk() command.Context {
	return command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
}

func actor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

var citizen = command.Context{Actor: actor(domain.RoleCitizen, "anonymous")}

// onDuty puts a clerk on duty at an office.
func (h *harness) onDuty(tb testing.TB, c command.Context, office domain.OfficeID) {
	tb.Helper()
	if _, err := h.app.Commands.GoOnDuty.Handle(context.Background(), c, offices.GoOnDuty{OfficeID: office}); err != nil {
		tb.Fatal(err)
	}
}

func types(evs []eventlog.RecordedEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func count(evs []eventlog.RecordedEvent, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}
