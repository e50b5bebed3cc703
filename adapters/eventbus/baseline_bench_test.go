package eventbus_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// BenchmarkSubscribeAllOnly is the baseline for BenchmarkRebuildFromAll:
// reading and decoding $all from the embedded node with a handler that does
// nothing. A rebuild cannot be faster than this.
func BenchmarkSubscribeAllOnly(b *testing.B) {
	want := envInt("READSIDE_BENCH_EVENTS", 20_000)
	var evs []readmodeltest.StreamEvent
	for seed := uint64(1); len(evs) < want; seed++ {
		evs = append(evs, readmodeltest.Scenario{Seed: seed, Offices: 1, Visits: min(700, want/7+1), Day: scenarioDay}.Generate()...)
	}
	nd := startNode(b, b.TempDir())
	appendAll(b, nd.store, evs)
	n := 0
	b.ResetTimer()
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		err := nd.store.SubscribeAll(ctx, nil, eventlog.Subscription{
			StreamPrefixes: readmodel.StreamPrefixes,
			Handle:         func(context.Context, eventlog.RecordedEvent) error { n++; return nil },
			OnCaughtUp:     func(context.Context) { cancel() },
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkLocalBusInProcess measures this package alone: a backlog from an
// in-memory store through the forwarder, GoChannel and the router into all
// read models (no gRPC, no disk).
func BenchmarkLocalBusInProcess(b *testing.B) {
	evs := readmodeltest.Scenario{Seed: 1, Offices: 3, Visits: 1000, Day: scenarioDay}.Generate()
	backlog := make([]eventlog.RecordedEvent, len(evs))
	for i, e := range evs {
		p := uint64(i + 1)
		data, err := json.Marshal(e.Event)
		if err != nil {
			b.Fatal(err)
		}
		ne := newEvent(e.Event)
		ne.Meta.SchemaVersion = 1
		backlog[i] = eventlog.RecordedEvent{Stream: e.Stream, Position: eventlog.Position{Commit: p, Prepare: p},
			ID: ne.ID, Type: e.Event.EventType(), Event: e.Event, Meta: ne.Meta, RecordedAt: scenarioDay, Data: data}
	}
	reg, err := eventstore.NewRegistry(readmodeltest.EventTypes()...)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		models := readmodel.New(readmodel.Config{Notifier: readside.NewFanout(0)})
		bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: &fakeStore{backlog: backlog, live: make(chan eventlog.RecordedEvent)}, Types: reg, Handlers: models.Handlers()})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- bus.Run(ctx) }()
		select {
		case <-bus.Ready():
		case <-time.After(time.Minute):
			b.Fatal("not ready")
		}
		cancel()
		<-done
	}
	b.ReportMetric(float64(len(backlog))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
