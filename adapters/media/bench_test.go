package media_test

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

// Load per direction of a call: VP8 at ~1 Mbps (1100-byte packets, 115/s)
// and Opus (50/s). Every payload starts with the send time in monotonic
// nanoseconds since the benchmark's base time.
const (
	videoPPS   = 115
	audioPPS   = 50
	opusBytes  = 160
	benchVideo = 1100
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// meter collects the send and receive side of the measurement window.
type meter struct {
	base        time.Time
	start, stop atomic.Int64 // window in ns since base; stop 0 = open
	warmCount   atomic.Int64
	full        atomic.Bool // full load; until then a trickle for negotiation
	sent, recvd atomic.Int64
	mu          sync.Mutex
	lat         []time.Duration
	warm        sync.WaitGroup
}

func (m *meter) now() int64 { return int64(time.Since(m.base)) }

func (m *meter) inWindow(ts int64) bool {
	s, e := m.start.Load(), m.stop.Load()
	return s != 0 && ts >= s && (e == 0 || ts < e)
}

// receiver returns a client's packet callback; it marks the client warm
// once both of its peer's tracks arrive.
func (m *meter) receiver() func(webrtc.RTPCodecType, *rtp.Packet, time.Time) {
	var audio, video atomic.Bool
	var once sync.Once
	local := make([]time.Duration, 0, 4096)
	var mu sync.Mutex
	m.warm.Add(1)
	return func(kind webrtc.RTPCodecType, p *rtp.Packet, _ time.Time) {
		now := m.now()
		if len(p.Payload) < 8 {
			return
		}
		if kind == webrtc.RTPCodecTypeAudio {
			audio.Store(true)
		} else {
			video.Store(true)
		}
		if audio.Load() && video.Load() {
			once.Do(func() { m.warmCount.Add(1); m.warm.Done() })
		}
		ts := int64(binary.BigEndian.Uint64(p.Payload))
		if !m.inWindow(ts) {
			if m.stop.Load() != 0 && len(local) > 0 { // flush once after the window
				mu.Lock()
				m.mu.Lock()
				m.lat = append(m.lat, local...)
				m.mu.Unlock()
				local = local[:0]
				mu.Unlock()
			}
			return
		}
		m.recvd.Add(1)
		mu.Lock()
		local = append(local, time.Duration(now-ts))
		mu.Unlock()
	}
}

// pump sends one client's media until done is closed.
func (m *meter) pump(c *testClient, done <-chan struct{}, wg *sync.WaitGroup) {
	send := func(track *webrtc.TrackLocalStaticRTP, pps, size int, clock uint32) {
		defer wg.Done()
		buf := make([]byte, size)
		period := time.Second / time.Duration(pps)
		time.Sleep(rand.N(period)) // senders are not in lockstep
		tick := time.NewTicker(period)
		defer tick.Stop()
		var seq uint16
		for n := 0; ; n++ {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if !m.full.Load() && n%(pps/5) != 0 {
				continue // 5 packets/s until every call is negotiated
			}
			seq++
			ts := m.now()
			binary.BigEndian.PutUint64(buf, uint64(ts))
			if track.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq) * clock}, Payload: buf}) == nil && m.inWindow(ts) {
				m.sent.Add(1)
			}
		}
	}
	wg.Add(2)
	go send(c.video, videoPPS, benchVideo, 90000/videoPPS)
	go send(c.audio, audioPPS, opusBytes, 960)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runCalls drives n 1:1 calls for the window and reports the figures.
// connect joins a pair of clients whose onPkt is already set.
func runCalls(b *testing.B, n int, connect func(i int, a, z *testClient), diag func() string) {
	seconds := envInt("MEDIA_BENCH_SECONDS", 3)
	m := &meter{base: time.Now()}
	clients := make([]*testClient, 0, 2*n)
	for i := 0; i < n; i++ {
		a, z := newTestClient(b), newTestClient(b)
		a.onPkt, z.onPkt = m.receiver(), m.receiver()
		a.publish(fmt.Sprintf("a-%d", i))
		z.publish(fmt.Sprintf("z-%d", i))
		connect(i, a, z)
		clients = append(clients, a, z)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range clients {
		m.pump(c, done, &wg)
	}
	warm := make(chan struct{})
	go func() { m.warm.Wait(); close(warm) }()
	select {
	case <-warm:
	case <-time.After(60 * time.Second):
		b.Fatalf("calls did not start: %d of %d clients receive media; %s", m.warmCount.Load(), 2*n, diag())
	}
	m.full.Store(true)
	time.Sleep(time.Second)

	b.ResetTimer()
	cpu0, wall0 := cpuTime(), time.Now()
	m.start.Store(m.now())
	time.Sleep(time.Duration(seconds) * time.Second)
	m.stop.Store(m.now())
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	b.StopTimer()
	time.Sleep(500 * time.Millisecond) // let packets in flight arrive and flush
	close(done)
	wg.Wait()

	sent, recvd := m.sent.Load(), m.recvd.Load()
	m.mu.Lock()
	lat := slices.Clone(m.lat)
	m.mu.Unlock()
	slices.Sort(lat)
	pct := func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(n), "calls")
	b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu%core")
	b.ReportMetric(float64(recvd)/wall.Seconds(), "pkts/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	if sent > 0 {
		b.ReportMetric(100*float64(sent-recvd)/float64(sent), "loss%")
	}
}

// BenchmarkRelayCalls runs MEDIA_BENCH_CALLS (default 10) concurrent 1:1
// calls through the relay for MEDIA_BENCH_SECONDS (default 3). cpu%core is
// the whole test process (relay and all in-process clients) as a percentage
// of one core; latency is client write to client read, through the relay.
func BenchmarkRelayCalls(b *testing.B) {
	n := envInt("MEDIA_BENCH_CALLS", 10)
	cfg := testConfig()
	cfg.ICEDisconnectedTimeout, cfg.ICEFailedTimeout, cfg.ICEKeepaliveInterval = 0, 0, 0 // production defaults
	cfg.MaxRooms = n + 1
	cfg.MaxConnectionsPerClientAddr = 2*n + 1
	r := newRelay(b, cfg, nil)
	runCalls(b, n, func(i int, a, z *testClient) {
		room := media.RoomID("bench-" + strconv.Itoa(i))
		if err := r.OpenRoom(room); err != nil {
			b.Fatal(err)
		}
		if err := a.join(r, room, media.RoleCitizen); err != nil {
			b.Fatal(err)
		}
		if err := z.join(r, room, media.RoleClerk); err != nil {
			b.Fatal(err)
		}
	}, func() string { return fmt.Sprintf("relay %+v", r.Stats()) })
}

// BenchmarkDirectCalls is the baseline: the same clients and load, peer to
// peer without the relay. The relay's own cost is roughly the difference.
func BenchmarkDirectCalls(b *testing.B) {
	n := envInt("MEDIA_BENCH_CALLS", 10)
	runCalls(b, n, func(_ int, a, z *testClient) {
		a.pc.OnTrack(a.onTrack)
		z.pc.OnTrack(z.onTrack)
		recv := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}
		for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
			if _, err := a.pc.AddTransceiverFromKind(kind, recv); err != nil {
				b.Fatal(err)
			}
		}
		offer, err := a.localDescription(func() (webrtc.SessionDescription, error) { return a.pc.CreateOffer(nil) })
		if err != nil {
			b.Fatal(err)
		}
		if err := z.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
			b.Fatal(err)
		}
		answer, err := z.localDescription(func() (webrtc.SessionDescription, error) { return z.pc.CreateAnswer(nil) })
		if err != nil {
			b.Fatal(err)
		}
		if err := a.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
			b.Fatal(err)
		}
	}, func() string { return "direct" })
}
