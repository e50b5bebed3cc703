package storebench

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

var payload = []byte(`{"office":"0b7c8a4e","citizen":"c7e1d2aa","at":"2026-11-24T10:00:00Z","kind":"walk-in"}`)

// appender is one durable single-event append by writer w.
type appender func(w int) error

type candidate struct {
	name string
	open func(b *testing.B, dir string) appender
}

func candidates() []candidate {
	return []candidate{
		{"segmentlog", openEngine},
		{"bbolt-update", func(b *testing.B, dir string) appender { return openBolt(b, dir, false) }},
		{"bbolt-batch", func(b *testing.B, dir string) appender { return openBolt(b, dir, true) }},
	}
}

// openEngine is the engine's own segment log with group commit.
func openEngine(b *testing.B, dir string) appender {
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	return func(w int) error {
		_, err := e.Append(context.Background(), fmt.Sprintf("bench-%d", w), engine.Expected{Kind: engine.ExpectAny},
			[]engine.ProposedEvent{{ID: uuid.New(), Type: "VisitKnocked", ContentType: "application/json", Data: payload}})
		return err
	}
}

// openBolt is bbolt with one fsynced transaction per append (update) or
// with bbolt's own batching of concurrent transactions (batch).
func openBolt(b *testing.B, dir string, batch bool) appender {
	db, err := bolt.Open(filepath.Join(dir, "bolt.db"), 0o644, nil)
	if err != nil {
		b.Fatal(err)
	}
	db.MaxBatchDelay = time.Millisecond
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists([]byte("log")); return err }); err != nil {
		b.Fatal(err)
	}
	run := db.Update
	if batch {
		run = db.Batch
	}
	return func(int) error {
		id := uuid.New()
		return run(func(tx *bolt.Tx) error {
			bk := tx.Bucket([]byte("log"))
			seq, err := bk.NextSequence()
			if err != nil {
				return err
			}
			v := append(id[:], payload...)
			return bk.Put(binary.BigEndian.AppendUint64(nil, seq), v)
		})
	}
}

func BenchmarkDurableAppend(b *testing.B) {
	for _, c := range candidates() {
		for _, writers := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("store=%s/writers=%d", c.name, writers), func(b *testing.B) {
				appendOne := c.open(b, b.TempDir())
				var next atomic.Int64
				lat := make([][]time.Duration, writers)
				b.ResetTimer()
				start := time.Now()
				var wg sync.WaitGroup
				for w := 0; w < writers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for next.Add(1) <= int64(b.N) {
							t0 := time.Now()
							if err := appendOne(w); err != nil {
								b.Error(err)
								return
							}
							lat[w] = append(lat[w], time.Since(t0))
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				all := slices.Concat(lat...)
				slices.Sort(all)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}
