package integration_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// The load benchmarks run the whole product in process (embedded node over
// gRPC, event bus, read models, HTTP on loopback) with the load generator
// on the same machine, and report requests/s and latency percentiles:
//
//	go test -run '^$' -bench . -benchtime 20000x ./adapters/httpapi/integration/

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

func report(b *testing.B, lat []time.Duration) {
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}

// BenchmarkGetQueue: 64 concurrent clerks' clients read an office queue of
// 50 waiting visits.
func BenchmarkGetQueue(b *testing.B) {
	s := start(b)
	clerk := s.clerk(b, "clerk-bench")
	s.call(b, clerk, http.MethodPost, "/offices/"+s.office.String()+"/duty/on", nil, nil)
	for range 50 {
		s.knock(b)
	}
	hammer(b, s.server.URL+"/api/v1/offices/"+s.office.String()+"/queue", clerk)
}

// BenchmarkGetVisit: the same load on a citizen's get-visit (the 25th of 50
// waiting visits), whose capability token is checked without a store read;
// the difference to get-queue is mostly the staff session's account read.
func BenchmarkGetVisit(b *testing.B) {
	s := start(b)
	clerk := s.clerk(b, "clerk-bench")
	s.call(b, clerk, http.MethodPost, "/offices/"+s.office.String()+"/duty/on", nil, nil)
	var k knocked
	for i := range 50 {
		if kk := s.knock(b); i == 24 {
			k = kk
		}
	}
	hammer(b, s.server.URL+"/api/v1/visits/"+k.VisitID, k.Token)
}

// clients is the number of concurrent clients of hammer.
var clients = flag.Int("loadbench.clients", 64, "concurrent clients of the GET load benchmarks")

// hammer sends b.N GETs from -loadbench.clients concurrent clients and
// reports req/s and latency percentiles.
func hammer(b *testing.B, url, token string) {
	workers := *clients
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	lats := make([][]time.Duration, workers)
	var next sync.Mutex
	left := b.N
	b.ResetTimer()
	cpu0 := processCPU()
	began := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			for {
				next.Lock()
				if left == 0 {
					next.Unlock()
					return
				}
				left--
				next.Unlock()
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	cpu := processCPU() - cpu0
	b.StopTimer()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	if len(all) > 0 {
		// Load-independent: the whole process's CPU (server and load
		// generator, user and system) per request.
		b.ReportMetric(float64(cpu.Microseconds())/float64(len(all)), "cpu-µs/req")
	}
	report(b, all)
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkKnockToClerkFrame: citizens knock at 500/s; the latency is from
// sending a knock to the clerk's watch-queue stream delivering a frame that
// contains the new visit. b.N knocks.
func BenchmarkKnockToClerkFrame(b *testing.B) {
	s := start(b)
	clerk := s.clerk(b, "clerk-bench")
	s.call(b, clerk, http.MethodPost, "/offices/"+s.office.String()+"/duty/on", nil, nil)
	q := s.watch(b, clerk, "/offices/"+s.office.String()+"/queue/events", "")
	<-q.events // the initial state

	var mu sync.Mutex
	sent := map[string]time.Time{}
	var lats []time.Duration
	seen := map[string]bool{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for f := range q.events {
			now := time.Now()
			var d queueData
			if json.Unmarshal(f.data, &d) != nil {
				continue
			}
			mu.Lock()
			for _, w := range d.Waiting {
				if t0, ok := sent[w.VisitID]; ok && !seen[w.VisitID] {
					seen[w.VisitID] = true
					lats = append(lats, now.Sub(t0))
				}
			}
			n := len(lats)
			mu.Unlock()
			if n == b.N {
				return
			}
		}
	}()

	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	url := s.server.URL + "/api/v1/offices/" + s.office.String() + "/visits"
	tick := time.NewTicker(2 * time.Millisecond) // 500 knocks/s
	defer tick.Stop()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range b.N {
		<-tick.C
		wg.Add(1)
		// The visit ID follows from the request ID, so the knock is timed
		// from before it is sent, even if its frame beats its response.
		rid := domain.IDFrom[domain.RequestID](uuid.New())
		vid := visit.IDForRequest(s.office, rid).String()
		body := fmt.Sprintf(`{"requestId":%q,"serviceId":%q,"displayName":"Ada"}`, rid, s.service)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			mu.Lock()
			sent[vid] = time.Now()
			mu.Unlock()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("knock: %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
		b.Fatalf("only %d of %d knocks reached the clerk's stream", len(lats), b.N)
	}
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	report(b, lats)
}
