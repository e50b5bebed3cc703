package readmodel_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

func scenarioEvents(offices, visits int) []eventlog.RecordedEvent {
	evs := readmodeltest.Scenario{Seed: 1, Offices: offices, Visits: visits, Day: tuesday(8, 0)}.Generate()
	out := make([]eventlog.RecordedEvent, len(evs))
	for i, e := range evs {
		p := uint64(100 * (i + 1))
		out[i] = eventlog.RecordedEvent{Stream: e.Stream, ID: uuid.New(), Type: e.Event.EventType(), Event: e.Event, Position: eventlog.Position{Commit: p, Prepare: p}}
	}
	return out
}

func apply(t testing.TB, m *readmodel.Models, evs []eventlog.RecordedEvent) {
	t.Helper()
	for _, e := range evs {
		for _, h := range m.Handlers() {
			if err := h.Handle(context.Background(), e); err != nil {
				t.Fatalf("%s: %v", h.Name(), err)
			}
		}
	}
}

func TestModelsRebuildEqualsAndRedeliveryChangesNothing(t *testing.T) {
	evs := scenarioEvents(3, 60)
	now := tuesday(12, 0)
	fanout := readside.NewFanout(4)
	_, cancel := fanout.Subscribe(readside.Filter{}) // a subscriber that never reads
	defer cancel()
	live := readmodel.New(readmodel.Config{Notifier: fanout})
	apply(t, live, evs)
	first := live.Snapshot(now)
	if len(first.Doors) != 3 || len(first.Visits) != 174 || len(first.Cases) == 0 || len(first.Calendar) == 0 || len(first.Stats) != 3 || len(first.Timers) == 0 {
		t.Fatalf("snapshot misses models: %d doors, %d visits, %d cases, %d calendar days, %d stats, %d timers",
			len(first.Doors), len(first.Visits), len(first.Cases), len(first.Calendar), len(first.Stats), len(first.Timers))
	}
	waiting := 0
	for _, q := range first.Queues {
		waiting += len(q.Waiting)
	}
	if waiting == 0 {
		t.Error("no visit is waiting at the end of the scenario")
	}

	apply(t, live, evs) // at-least-once: everything again
	if again := live.Snapshot(now); !reflect.DeepEqual(first, again) {
		t.Error("re-delivery changed the read models")
	}
	rebuilt := readmodel.New(readmodel.Config{})
	apply(t, rebuilt, evs)
	if got := rebuilt.Snapshot(now); !reflect.DeepEqual(first, got) {
		t.Error("a rebuild differs from the live models")
	}
	if fanout.Dropped() == 0 {
		t.Error("the slow subscriber lost nothing: the test did not exercise it")
	}
}

func BenchmarkProjectAll(b *testing.B) {
	evs := scenarioEvents(20, 700) // ≈ 100,000 events
	b.ResetTimer()
	for b.Loop() {
		m := readmodel.New(readmodel.Config{Notifier: readside.NewFanout(0)})
		apply(b, m, evs)
	}
	b.ReportMetric(float64(len(evs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
