package eventbus_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
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

// BenchmarkLocalBusLagInProcess offers knocks at READSIDE_BENCH_RATE per
// second (default 5,000) for READSIDE_BENCH_SECONDS (default 2) from an
// in-memory store and reports how long each takes from being handed to the
// forwarder to every read model including it: this package's share of the
// projection lag, without gRPC and disk.
func BenchmarkLocalBusLagInProcess(b *testing.B) {
	rate := envInt("READSIDE_BENCH_RATE", 5_000)
	seconds := envInt("READSIDE_BENCH_SECONDS", 2)
	reg, err := eventstore.NewRegistry(readmodeltest.EventTypes()...)
	if err != nil {
		b.Fatal(err)
	}
	office := domain.IDFrom[domain.OfficeID](uuid.New())
	models := readmodel.New(readmodel.Config{Notifier: readside.NewFanout(0)})
	liveCh := make(chan eventlog.RecordedEvent)
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: &fakeStore{live: liveCh}, Types: reg, Handlers: models.Handlers()})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bus.Run(ctx) }()
	defer func() { cancel(); <-done }()
	<-bus.Ready()

	total := rate * seconds
	evs := make([]eventlog.RecordedEvent, total)
	for i := range evs {
		v := domain.IDFrom[domain.VisitID](uuid.New())
		k := visit.VisitKnocked{VisitID: v, RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: office, Language: visit.German, KnockedAt: scenarioDay}
		data, err := json.Marshal(k)
		if err != nil {
			b.Fatal(err)
		}
		ne := newEvent(k)
		ne.Meta.SchemaVersion = 1
		evs[i] = eventlog.RecordedEvent{Stream: visit.StreamName(v), ID: ne.ID, Type: k.EventType(), Event: k, Meta: ne.Meta, Data: data, RecordedAt: scenarioDay}
	}
	var lags []time.Duration
	next := uint64(0)
	b.ResetTimer()
	for b.Loop() {
		sent := make([]time.Time, total)
		applied := make([]time.Duration, total)
		var wg sync.WaitGroup
		interval := time.Second / time.Duration(rate)
		start := time.Now()
		for i := range evs {
			if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
				time.Sleep(d)
			}
			next++
			e := evs[i]
			e.Position = eventlog.Position{Commit: next, Prepare: next}
			sent[i] = time.Now()
			liveCh <- e
			wg.Add(1)
			go func(i int, p eventlog.Position) {
				defer wg.Done()
				if err := bus.WaitFor(context.Background(), p); err == nil {
					applied[i] = time.Since(sent[i])
				}
			}(i, e.Position)
		}
		wg.Wait()
		b.ReportMetric(float64(total)/time.Since(start).Seconds(), "events/s")
		lags = append(lags, applied...)
	}
	b.StopTimer()
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2])/float64(time.Millisecond), "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100])/float64(time.Millisecond), "p99-ms")
	b.ReportMetric(float64(lags[len(lags)-1])/float64(time.Millisecond), "max-ms")
}
