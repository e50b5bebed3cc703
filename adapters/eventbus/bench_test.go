package eventbus_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// envInt reads a size from the environment, for longer benchmark runs.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkRebuildFromAll measures a cold start: every read model rebuilt
// from $all of the embedded node over gRPC, through the forwarder, Watermill
// and the router. READSIDE_BENCH_EVENTS sets the history size (default
// 20,000; the goal is stated for 100,000).
func BenchmarkRebuildFromAll(b *testing.B) {
	want := envInt("READSIDE_BENCH_EVENTS", 20_000)
	const perOffice = 700 // visits per office ≈ 5,000 events
	var evs []readmodeltest.StreamEvent
	for seed := uint64(1); len(evs) < want; seed++ {
		evs = append(evs, readmodeltest.Scenario{Seed: seed, Offices: 1, Visits: min(perOffice, want/7+1), Day: scenarioDay}.Generate()...)
	}
	nd := startNode(b, b.TempDir())
	appendAll(b, nd.store, evs)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		rs := startReadSide(b, nd.store, nd.reg)
		rs.waitReady(b)
		ready := time.Since(start)
		rs.stop()
		b.Logf("ready after %v, stopped after %v", ready, time.Since(start))
	}
	b.ReportMetric(float64(len(evs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(len(evs)), "events")
}

// BenchmarkProjectionLag offers knocks at a fixed rate (open loop,
// READSIDE_BENCH_RATE per second, default 5,000, for READSIDE_BENCH_SECONDS,
// default 2) from concurrent appenders and measures, per event, the time
// from the append's acknowledgement to every read model including it
// (Bus.WaitFor on the append position). READSIDE_BENCH_APPENDERS (default
// 64) appends run at once; the node's durable append rate may keep the rate
// achieved below the rate offered. Reports p50, p99 and max in ms and the
// rate achieved.
func BenchmarkProjectionLag(b *testing.B) {
	rate := envInt("READSIDE_BENCH_RATE", 5_000)
	seconds := envInt("READSIDE_BENCH_SECONDS", 2)
	appenders := envInt("READSIDE_BENCH_APPENDERS", 64)
	nd := startNode(b, b.TempDir())
	evs := readmodeltest.Scenario{Seed: 1, Offices: 4, Visits: 10, Day: scenarioDay}.Generate()
	appendAll(b, nd.store, evs)
	var offices []domain.OfficeID
	for _, e := range evs {
		if k, ok := e.Event.(visit.VisitKnocked); ok && !slices.Contains(offices, k.OfficeID) {
			offices = append(offices, k.OfficeID)
		}
	}
	rs := startReadSide(b, nd.store, nd.reg)
	rs.waitReady(b)

	var (
		mu    sync.Mutex
		lags  []time.Duration
		fails int
	)
	b.ResetTimer()
	for b.Loop() {
		total := rate * seconds
		interval := time.Second / time.Duration(rate)
		jobs := make(chan int, total)
		var wg, waits sync.WaitGroup
		for w := 0; w < appenders; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					v := domain.IDFrom[domain.VisitID](uuid.New())
					res, err := nd.store.Append(context.Background(), visit.StreamName(v), eventlog.ExpectNoStream(), newEvent(visit.VisitKnocked{
						VisitID: v, RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: offices[i%len(offices)],
						ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), Language: visit.German, KnockedAt: scenarioDay,
					}))
					acked := time.Now()
					if err != nil {
						mu.Lock()
						fails++
						mu.Unlock()
						continue
					}
					waits.Add(1)
					go func() { // the next append does not wait for this projection
						defer waits.Done()
						ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
						err := rs.bus.WaitFor(ctx, res.Position)
						lag := time.Since(acked)
						cancel()
						mu.Lock()
						if err != nil {
							fails++
						} else {
							lags = append(lags, lag)
						}
						mu.Unlock()
					}()
				}
			}()
		}
		start := time.Now()
		for i := 0; i < total; i++ {
			if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
				time.Sleep(d)
			}
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		b.ReportMetric(float64(total)/time.Since(start).Seconds(), "events/s")
		waits.Wait()
	}
	b.StopTimer()
	if fails > 0 {
		b.Errorf("%d appends or waits failed", fails)
	}
	slices.Sort(lags)
	pct := func(p float64) float64 {
		if len(lags) == 0 {
			return 0
		}
		return float64(lags[int(p*float64(len(lags)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}
