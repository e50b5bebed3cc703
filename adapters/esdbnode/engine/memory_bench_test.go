package engine_test

import (
	"context"
	"fmt"
	"runtime"
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

// BenchmarkMillionEvents writes 1,000,000 events to 1,000 streams and
// reports the heap in use after 100,000 and after 1,000,000 events (it must
// not grow with the events), the time to reopen (recovery scan) and the
// heap after reopening.
func BenchmarkMillionEvents(b *testing.B) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		e, err := engine.Open(dir, engine.Options{})
		if err != nil {
			b.Fatal(err)
		}
		fill(b, e, 100_000, 1000, 0)
		at100k := heapMB()
		fill(b, e, 900_000, 1000, 1000)
		at1M := heapMB()
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
		if err != nil || len(got) != 1000 {
			b.Fatalf("visit-7: %d events, %v", len(got), err)
		}
		e.Close()
		b.ReportMetric(at100k, "heapMB@100k")
		b.ReportMetric(at1M, "heapMB@1M")
		b.ReportMetric(afterReopen, "heapMB-reopened")
		b.ReportMetric(reopen.Seconds(), "reopen-s")
	}
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
