package eventbus_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Example_wiring shows how a composition root wires the read side on one
// machine and how an HTTP handler uses it: readiness, read-your-writes after
// a command, and a citizen's live view as server-sent events.
func Example_wiring() {
	var (
		store   eventlog.Store        // adapters/eventstore.New(client, registry)
		types   eventbus.EventTypes   // the same *eventstore.Registry
		actions readside.TimerActions // the application's timer use cases
		log     = slog.Default()
	)
	if store == nil {
		fmt.Println("wired")
		return // the example only compiles; see integration_test.go for a run
	}

	notifier := readside.NewFanout(64)
	models := readmodel.New(readmodel.Config{Notifier: notifier})
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: store, Types: types, Handlers: models.Handlers(), Logger: log})
	if err != nil {
		panic(err)
	}
	scheduler, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: readside.SystemClock{}, Timers: models.Timers, Actions: actions, Tickers: models.Tickers(), Ready: bus.Ready(),
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	go func() { _ = bus.Run(ctx) }()
	go func() { _ = scheduler.Run(ctx) }()

	// Readiness: 503 until the backlog is projected.
	<-bus.Ready()

	// After a command: wait until the read models include its append.
	var appended eventlog.AppendResult // from the command handler
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_ = bus.WaitFor(wctx, appended.Position)

	// A citizen's waiting page (SSE): send the visit's view on every change.
	var visit domain.VisitID
	changes, stop := notifier.Subscribe(readside.Filter{VisitID: visit})
	defer stop()
	for range changes { // c.Missed > 0 only means: re-query, which we do anyway
		view, ok := models.Queues.Visit(visit, time.Now())
		if !ok {
			continue
		}
		fmt.Println(view.Status, view.Place)
	}
	// Output: wired
}
