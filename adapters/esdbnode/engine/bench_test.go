package engine_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

// BenchmarkAppend measures durable single-event appends with 1, 16 and 64
// concurrent writers, each on its own stream with exact expectations.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			e := open(b, b.TempDir(), engine.Options{})
			data := []byte(`{"office":"0b7c","citizen":"c7e1","at":"2026-11-24T10:00:00Z"}`)
			var next atomic.Int64
			lat := make([][]time.Duration, writers)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					stream := fmt.Sprintf("bench-%d", w)
					exp := engine.Expected{Kind: engine.ExpectNoStream}
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						res, err := e.Append(context.Background(), stream, exp, []engine.ProposedEvent{{
							ID: uuid.New(), Type: "VisitKnocked", ContentType: "application/json", Data: data}})
						if err != nil {
							b.Error(err)
							return
						}
						lat[w] = append(lat[w], time.Since(t0))
						exp = engine.Expected{Kind: engine.ExpectExact, Revision: res.Revision}
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			all := slices.Concat(lat...)
			slices.Sort(all)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
			if len(all) > 0 {
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}

// BenchmarkReadAll measures reading $all forwards in pages of 1000 events.
func BenchmarkReadAll(b *testing.B) {
	b.Run("dir=forwards", func(b *testing.B) { benchReadAll(b, engine.Forwards) })
	b.Run("dir=backwards", func(b *testing.B) { benchReadAll(b, engine.Backwards) })
}

func benchReadAll(b *testing.B, dir engine.Direction) {
	e := open(b, b.TempDir(), engine.Options{})
	const events = 20000
	batch := make([]engine.ProposedEvent, 100)
	for i := 0; i < events/len(batch); i++ {
		for j := range batch {
			batch[j] = engine.ProposedEvent{ID: uuid.New(), Type: "VisitKnocked", ContentType: "application/json",
				Data: []byte(`{"office":"0b7c","citizen":"c7e1","at":"2026-11-24T10:00:00Z"}`)}
		}
		if _, err := e.Append(context.Background(), fmt.Sprintf("s-%d", i%100), engine.Expected{}, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	read := 0
	start := time.Now()
	for i := 0; i < b.N; i++ {
		// Page as a client does: from the last position seen, which a
		// forwards read includes, so each later page drops its first event.
		pos, skip, fromEnd := engine.Position(0), 0, dir == engine.Backwards
		for {
			page, err := e.ReadAll(pos, fromEnd, dir, 1000)
			if err != nil {
				b.Fatal(err)
			}
			read += len(page) - skip
			if len(page) < 1000 {
				break
			}
			pos, skip, fromEnd = page[len(page)-1].Position, 1, false
			if dir == engine.Backwards {
				skip = 0 // backwards excludes the position itself
			}
		}
	}
	b.ReportMetric(float64(read)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkReadStream measures reading one 1,000-event stream (a case
// replay) of ~256 B events, written in appends of 10 events in turn with 19
// other streams, so its events lie in runs of 10 with ~75 KiB between runs. One op is
// one full read of the stream.
func BenchmarkReadStream(b *testing.B) {
	e := open(b, b.TempDir(), engine.Options{})
	const streams, perStream, batchLen = 20, 1000, 10
	batch := make([]engine.ProposedEvent, batchLen)
	for i := 0; i < streams*perStream/batchLen; i++ {
		for j := range batch {
			batch[j] = engine.ProposedEvent{ID: uuid.New(), Type: "VisitKnocked", ContentType: "application/json",
				Data: []byte(`{"office":"0b7c","citizen":"c7e1","at":"2026-11-24T10:00:00Z","pad":"` + strings.Repeat("x", 190) + `"}`)}
		}
		if _, err := e.Append(context.Background(), fmt.Sprintf("case-%d", i%streams), engine.Expected{}, batch); err != nil {
			b.Fatal(err)
		}
	}
	for _, dir := range []engine.Direction{engine.Forwards, engine.Backwards} {
		name := map[engine.Direction]string{engine.Forwards: "dir=forwards", engine.Backwards: "dir=backwards"}[dir]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				evs, err := e.ReadStream("case-7", 0, dir == engine.Backwards, dir, 0)
				if err != nil {
					b.Fatal(err)
				}
				if len(evs) != perStream {
					b.Fatalf("read %d events, want %d", len(evs), perStream)
				}
			}
		})
	}
}
