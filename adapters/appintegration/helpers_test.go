package appintegration_test

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/seed"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// monday10 is a Monday at 10:00 in Berlin: the demo offices are open.
var monday10 = time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())

type harness struct {
	node  *esdbnodetest.Node
	store *eventstore.Store
	app   *application.Application
	now   atomic.Pointer[time.Time]
	key   []byte
}

// start runs a node, wires the application against it over gRPC and seeds
// the demo offices.
func start(tb testing.TB) *harness {
	tb.Helper()
	h := &harness{node: esdbnodetest.Start(tb), key: bytes.Repeat([]byte{42}, 32)}
	h.setNow(monday10)
	reg, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		tb.Fatal(err)
	}
	h.store, err = eventstore.New(h.node.Client, reg)
	if err != nil {
		tb.Fatal(err)
	}
	h.app = h.newApp(tb)
	if _, err := seed.Run(context.Background(), h.app.Commands.EstablishOffice); err != nil {
		tb.Fatal(err)
	}
	return h
}

// newApp builds another application instance on the same store, as a
// second app process would be.
func (h *harness) newApp(tb testing.TB) *application.Application {
	tb.Helper()
	blobs, err := blobstore.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = blobs.Close() })
	app, err := application.New(application.Config{
		Store: h.store, TokenKey: h.key, Blobs: blobs,
		Clock: command.ClockFunc(func() time.Time { return *h.now.Load() }),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return app
}

func (h *harness) setNow(t time.Time) { h.now.Store(&t) }

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
