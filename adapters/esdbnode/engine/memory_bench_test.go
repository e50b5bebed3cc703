package engine_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// fill appends n events to streams streams in batches of 100.
func fill(tb testing.TB, e *engine.Engine, n, streams, offset int) {
	tb.Helper()
	batch := make([]engine.ProposedEvent, 100)
	for i := 0; i < n/len(batch); i++ {
		for j := range batch {
			batch[j] = engine.ProposedEvent{ID: uuid.New(), Type: "VisitKnocked", ContentType: "application/json",
				Data: []byte(`{"office":"0b7c8a4e","citizen":"c7e1d2aa","at":"2026-11-24T10:00:00Z"}`)}
		}
		if _, err := e.Append(context.Background(), fmt.Sprintf("visit-%d", (offset+i)%streams), engine.Expected{}, batch); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchEventsEnv sets how many events BenchmarkMillionEvents writes: 200,000
// by default so that `make bench` stays short; set 1000000 for the full run
// (the figures in ADR-0003).
const benchEventsEnv = "BUERGERBUERO_BENCH_EVENTS"

// BenchmarkMillionEvents writes 1,000,000 events (see benchEventsEnv) to
// 1,000 streams and reports the heap in use after 100,000 and after all of
// them (it must not grow with the events), the time to reopen (recovery
// scan) and the heap after reopening.
func BenchmarkMillionEvents(b *testing.B) {
	total := 200_000
	if v := os.Getenv(benchEventsEnv); v != "" {
		var err error
		if total, err = strconv.Atoi(v); err != nil || total < 10_000 || total%10_000 != 0 {
			b.Fatalf("%s=%q: want a multiple of 10000", benchEventsEnv, v)
		}
	}
	// The recent-ID cache fills within the first 100,000 events; after that
	// the heap must stay flat.
	first := min(100_000, total/2)
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		e, err := engine.Open(dir, engine.Options{})
		if err != nil {
			b.Fatal(err)
		}
		fill(b, e, first, 1000, 0)
		atFirst := heapMB()
		fill(b, e, total-first, 1000, 1000)
		atAll := heapMB()
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		e, err = engine.Open(dir, engine.Options{})
		if err != nil {
			b.Fatal(err)
		}
		reopen := time.Since(t0)
		afterReopen := heapMB()
		got, err := e.ReadStream("visit-7", 0, false, engine.Forwards, 0)
		if want := batchesTo(7, first/100, 0) + batchesTo(7, (total-first)/100, 1000); err != nil || len(got) != 100*want {
			b.Fatalf("visit-7: %d events, %v", len(got), err)
		}
		e.Close()
		b.ReportMetric(atFirst, "heapMB@"+eventsLabel(first))
		b.ReportMetric(atAll, "heapMB@"+eventsLabel(total))
		b.ReportMetric(afterReopen, "heapMB-reopened")
		b.ReportMetric(reopen.Seconds(), "reopen-s")
	}
}

// batchesTo is how many of fill's batches go to stream k of 1000.
func batchesTo(k, batches, offset int) int {
	n := 0
	for i := range batches {
		if (offset+i)%1000 == k {
			n++
		}
	}
	return n
}

// eventsLabel spells n as the metric names did: 100k, 1M.
func eventsLabel(n int) string {
	if n%1_000_000 == 0 {
		return strconv.Itoa(n/1_000_000) + "M"
	}
	return strconv.Itoa(n/1000) + "k"
}

// TestHeapDoesNotGrowWithEvents: the engine keeps no per-event state in
// memory, so five times the events on the same streams leave the heap
// where it was, give or take a few MiB (the recent-ID cache is bounded and
// full after the first round).
func TestHeapDoesNotGrowWithEvents(t *testing.T) {
	e := open(t, t.TempDir(), engine.Options{RecentIDs: 10_000})
	fill(t, e, 20_000, 200, 0)
	before := heapMB()
	fill(t, e, 100_000, 200, 200)
	after := heapMB()
	t.Logf("heap %.2f MiB before, %.2f MiB after", before, after)
	// A per-event index entry of even 24 bytes would add 2.3 MiB here;
	// map-based ones several times that.
	if after-before > 2 {
		t.Fatalf("heap grew from %.1f to %.1f MiB for 100,000 more events", before, after)
	}
}
