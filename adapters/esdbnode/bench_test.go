package esdbnode_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

// benchPayload is a ~256 B JSON document, the size of a typical domain event.
var benchPayload = []byte(`{"visitId":"0b6f2c1e-6f0a-4c7e-9a51-3f1d2b9c8e77","officeId":"5e3c1a90-2b7d-4f4e-8c6a-1d9e0f2a3b4c","kind":"walk-in","queuePosition":17,"knockedAt":"2026-11-24T10:15:00Z","channel":"web","locale":"de-DE","schema":1,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`)

const benchStreams = 1000

func benchEvent() esdb.EventData {
	return esdb.EventData{EventID: uuid.New(), EventType: "VisitKnocked", ContentType: esdb.ContentTypeJson, Data: benchPayload}
}

func benchStream(i int) string { return "visit-bench-" + strconv.Itoa(i%benchStreams) }

// appendsPerOp makes one benchmark op a fixed batch of appends, so that
// `make bench` (-benchtime 1x) still measures a meaningful amount of work.
const appendsPerOp = 2000

// BenchmarkAppend measures durable single-event appends per second with
// 1, 16 and 64 concurrent writers spread over 1,000 streams. One op is
// appendsPerOp appends.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			n := esdbnodetest.Start(b)
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, writers)
			b.ResetTimer()
			start, cpu0 := time.Now(), processCPU()
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N*appendsPerOp {
							return
						}
						if _, err := n.Client.AppendToStream(context.Background(), benchStream(i), esdb.AppendToStreamOptions{}, benchEvent()); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed, cpu := time.Since(start), processCPU()-cpu0
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N*appendsPerOp)/elapsed.Seconds(), "appends/s")
			// CPU per append (client and node, both in this process) is the
			// figure that survives a machine shared with other work.
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*appendsPerOp), "cpu-µs/append")
		})
	}
}

// BenchmarkAppendLatency offers 10,000 appends/s open-loop (each request
// starts at its scheduled time whether or not earlier ones finished) and
// reports latency percentiles measured from the scheduled start, so
// queueing delay is not hidden. One op is one second of offered load.
func BenchmarkAppendLatency(b *testing.B) {
	const rate = 10_000
	n := esdbnodetest.Start(b)
	interval := time.Second / rate
	requests := b.N * rate
	lat := make([]time.Duration, requests)
	var wg sync.WaitGroup
	var failed atomic.Int64
	sem := make(chan struct{}, 4096) // bounds goroutines if the node falls far behind
	b.ResetTimer()
	t0 := time.Now()
	for i := range requests {
		at := t0.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := n.Client.AppendToStream(context.Background(), benchStream(i), esdb.AppendToStreamOptions{}, benchEvent()); err != nil {
				failed.Add(1)
			}
			lat[i] = time.Since(at)
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d appends failed", f)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(0.999), "p99.9-ms")
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "achieved/s")
}

// benchEventsEnv sets how many events BenchmarkReadAll writes first
// (default 100,000; set 1000000 for the full run).
const benchEventsEnv = "BUERGERBUERO_BENCH_EVENTS"

// BenchmarkReadAll measures a full $all catch-up read through the client
// and reports the process's resident memory after writing the events.
func BenchmarkReadAll(b *testing.B) {
	total := 100_000
	if v := os.Getenv(benchEventsEnv); v != "" {
		var err error
		if total, err = strconv.Atoi(v); err != nil || total <= 0 {
			b.Fatalf("%s=%q: want a positive integer", benchEventsEnv, v)
		}
	}
	n := esdbnodetest.Start(b)
	const batch = 200
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			evs := make([]esdb.EventData, batch)
			for {
				i := int(next.Add(batch)) - batch
				if i >= total {
					return
				}
				k := min(batch, total-i)
				for j := range k {
					evs[j] = benchEvent()
				}
				if _, err := n.Client.AppendToStream(context.Background(), benchStream(i/batch), esdb.AppendToStreamOptions{}, evs[:k]...); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	runtime.GC()
	rss := rssMiB() // ResetTimer would drop a metric reported now
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	read := 0
	for range b.N {
		rs, err := n.Client.ReadAll(context.Background(), esdb.ReadAllOptions{From: esdb.Start{}}, ^uint64(0))
		if err != nil {
			b.Fatal(err)
		}
		// Count, do not keep: a catch-up consumer applies and drops each
		// event, and keeping 1M events here would measure this test's slice.
		got, err := count(rs)
		if err != nil {
			b.Fatal(err)
		}
		if got < total {
			b.Fatalf("read %d events, wrote %d", got, total)
		}
		read += got
	}
	b.ReportMetric(float64(read)/time.Since(start).Seconds(), "events/s")
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(read)/1000, "cpu-µs/event")
	b.ReportMetric(rss, "rss-MiB-after-write")
	b.ReportMetric(rssMiB(), "rss-MiB-after-read")
}

// count reads a ReadStream to its end and returns how many events it had.
func count(rs *esdb.ReadStream) (int, error) {
	defer rs.Close()
	n := 0
	for {
		_, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// rssMiB is the resident set size of this process (node and client) in MiB, 0 if unknown.
func rssMiB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkDiskFsync is the disk's own serial durability rate: 4 KiB
// writes plus fdatasync for about a second (one op), in a temp dir like the node's.
func BenchmarkDiskFsync(b *testing.B) {
	f, err := os.Create(b.TempDir() + "/fsync.bin")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	b.ResetTimer()
	start := time.Now()
	syncs := 0
	for range b.N {
		for opStart := time.Now(); time.Since(opStart) < time.Second; syncs++ {
			if _, err := f.WriteAt(block, int64(syncs%256)*4096); err != nil {
				b.Fatal(err)
			}
			if err := datasync(f); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(syncs)/time.Since(start).Seconds(), "fsyncs/s")
}

// replaysPerOp makes one BenchmarkReadStream op enough replays for a p99.
const replaysPerOp = 100

// BenchmarkReadStream replays a 1,000-event case stream through the client,
// as the application does when it loads a case: the stream was written in
// appends of 10 events in turn with 19 other streams. It reports replay
// latency percentiles and CPU per replay (client and node).
func BenchmarkReadStream(b *testing.B) {
	const streams, perStream, batch = 20, 1000, 10
	n := esdbnodetest.Start(b)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			evs := make([]esdb.EventData, batch)
			for {
				i := int(next.Add(1)) - 1
				if i >= streams*perStream/batch {
					return
				}
				for j := range evs {
					evs[j] = benchEvent()
				}
				if _, err := n.Client.AppendToStream(context.Background(), "case-"+strconv.Itoa(i%streams), esdb.AppendToStreamOptions{}, evs...); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	lat := make([]time.Duration, 0, b.N*replaysPerOp)
	b.ResetTimer()
	cpu0 := processCPU()
	for range b.N * replaysPerOp {
		start := time.Now()
		rs, err := n.Client.ReadStream(context.Background(), "case-7", esdb.ReadStreamOptions{From: esdb.Start{}}, ^uint64(0))
		if err != nil {
			b.Fatal(err)
		}
		got, err := count(rs)
		if err != nil {
			b.Fatal(err)
		}
		if got != perStream {
			b.Fatalf("read %d events, want %d", got, perStream)
		}
		lat = append(lat, time.Since(start))
	}
	cpu := processCPU() - cpu0
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/replay")
}
