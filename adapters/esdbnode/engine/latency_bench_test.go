package engine_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

// BenchmarkAppendLatencyAt10k offers 10,000 single-event appends per second
// from 64 writers (open loop: each writer has a schedule, and latency counts
// from the scheduled start, so a stall is not hidden by sending less) and
// reports the p50 and p99 latency and the rate achieved. b.N is the number
// of appends; use -benchtime 20000x for two seconds of load.
func BenchmarkAppendLatencyAt10k(b *testing.B) {
	const writers, rate = 64, 10_000
	e := open(b, b.TempDir(), engine.Options{})
	data := []byte(`{"office":"0b7c8a4e","citizen":"c7e1d2aa","at":"2026-11-24T10:00:00Z"}`)
	interval := time.Duration(writers) * time.Second / rate
	perWriter := (b.N + writers - 1) / writers
	lat := make([][]time.Duration, writers)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := fmt.Sprintf("lat-%d", w)
			offset := time.Duration(w) * interval / writers
			for i := 0; i < perWriter; i++ {
				due := start.Add(offset + time.Duration(i)*interval)
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
				_, err := e.Append(context.Background(), stream, engine.Expected{}, []engine.ProposedEvent{{
					ID: uuid.New(), Type: "VisitKnocked", ContentType: "application/json", Data: data}})
				if err != nil {
					b.Error(err)
					return
				}
				lat[w] = append(lat[w], time.Since(due))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
	b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "appends/s")
}
