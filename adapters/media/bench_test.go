package media_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
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
		next := time.Now().Add(rand.N(period)) // senders are not in lockstep
		var seq uint16
		for n := 0; ; n++ {
			// Deadline pacing: a late packet goes out at once instead of
			// being skipped, so the offered rate holds under CPU pressure.
			if d := time.Until(next); d > 0 {
				select {
				case <-done:
					return
				case <-time.After(d):
				}
			} else {
				select {
				case <-done:
					return
				default:
				}
			}
			next = next.Add(period)
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

// result is what the client side measured in its window.
type result struct {
	Calls            int
	Seconds          float64
	Sent, Received   int64
	P50ms, P99ms     float64
	ClientCPUPctCore float64
}

// runCalls drives n 1:1 calls for the window. connect joins a pair of
// clients whose onPkt is already set; mark is told when the window starts
// and stops.
func runCalls(b *testing.B, n int, connect func(i int, a, z *testClient), mark func(op string)) result {
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
		b.Fatalf("calls did not start: %d of %d clients receive media", m.warmCount.Load(), 2*n)
	}
	m.full.Store(true)
	time.Sleep(time.Second)

	mark("start")
	cpu0, wall0 := cpuTime(), time.Now()
	m.start.Store(m.now())
	time.Sleep(time.Duration(seconds) * time.Second)
	m.stop.Store(m.now())
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	mark("stop")
	time.Sleep(500 * time.Millisecond) // let packets in flight arrive and flush
	close(done)
	wg.Wait()

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
	return result{
		Calls: n, Seconds: wall.Seconds(), Sent: m.sent.Load(), Received: m.recvd.Load(),
		P50ms: pct(0.50), P99ms: pct(0.99), ClientCPUPctCore: 100 * cpu.Seconds() / wall.Seconds(),
	}
}

// The relay and the clients run in two processes, so that the relay's CPU
// time is measured alone: the benchmark re-executes its own test binary as
// the client side and speaks line-based JSON with it (joins, window marks,
// the result).
const clientSideEnv = "MEDIA_BENCH_CLIENT_SIDE"

type benchMsg struct {
	Op          string              `json:"op"`
	Room        media.RoomID        `json:"room,omitempty"`
	Role        string              `json:"role,omitempty"`
	SDP         string              `json:"sdp,omitempty"`
	Participant media.ParticipantID `json:"participant,omitempty"`
	Error       string              `json:"error,omitempty"`
	Result      *result             `json:"result,omitempty"`
}

const benchPrefix = "MEDIA-BENCH "

// BenchmarkRelayCalls runs MEDIA_BENCH_CALLS (default 10) concurrent 1:1
// calls through the relay for MEDIA_BENCH_SECONDS (default 3), each
// direction ~1 Mbps VP8 plus Opus. It reports the relay process's CPU
// (relay-cpu%core: CPU time per wall time, 100 = one core; the clients run
// in a child process), forwarded packets per second, and, measured by the
// clients, packets received per second, loss and latency from client write
// to client read through the relay.
func BenchmarkRelayCalls(b *testing.B) {
	if os.Getenv(clientSideEnv) == "1" {
		clientSide(b)
		return
	}
	n := envInt("MEDIA_BENCH_CALLS", 10)
	cfg := testConfig()
	cfg.ICEDisconnectedTimeout, cfg.ICEFailedTimeout, cfg.ICEKeepaliveInterval = 0, 0, 0 // production defaults
	cfg.MaxRooms = n + 1
	cfg.MaxConnectionsPerClientAddr = 2*n + 1
	r := newRelay(b, cfg, nil)

	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkRelayCalls$", "-test.benchtime=1x")
	cmd.Env = append(os.Environ(), clientSideEnv+"=1", "MEDIA_BENCH_CALLS="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	enc := json.NewEncoder(in)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var (
		cpu0, cpu time.Duration
		wall0     time.Time
		wall      time.Duration
		fwd0, fwd uint64
		res       *result
	)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), benchPrefix)
		if !ok {
			if strings.Contains(line, "FAIL") || strings.HasPrefix(line, "    ") {
				fmt.Fprintln(os.Stderr, "client side:", line) // the child's test failures
			}
			continue
		}
		var msg benchMsg
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			b.Fatal(err)
		}
		switch msg.Op {
		case "join":
			role, _ := media.ParseRole(msg.Role)
			reply := benchMsg{Op: "answer"}
			if role == media.RoleCitizen {
				if err := r.OpenRoom(msg.Room); err != nil {
					reply.Error = err.Error()
				}
			}
			if reply.Error == "" {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				jr, err := r.Join(ctx, media.JoinRequest{Room: msg.Room, Role: role, ClientAddr: loopback, OfferSDP: msg.SDP})
				cancel()
				if err != nil {
					reply.Error = err.Error()
				}
				reply.SDP, reply.Participant = jr.AnswerSDP, jr.Participant
			}
			if err := enc.Encode(reply); err != nil {
				b.Fatal(err)
			}
		case "start":
			b.ResetTimer()
			cpu0, wall0, fwd0 = cpuTime(), time.Now(), r.Stats().PacketsForwarded
		case "stop":
			cpu, wall, fwd = cpuTime()-cpu0, time.Since(wall0), r.Stats().PacketsForwarded-fwd0
			b.StopTimer()
		case "result":
			res = msg.Result
		}
	}
	_ = in.Close()
	if err := cmd.Wait(); err != nil || res == nil || wall == 0 {
		b.Fatalf("client side failed: %v (result %v)", err, res)
	}
	b.ReportMetric(float64(n), "calls")
	b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "relay-cpu%core")
	b.ReportMetric(float64(fwd)/wall.Seconds(), "fwd-pkts/s")
	if fwd > 0 {
		// CPU per forwarded packet: the figure to extrapolate capacity from
		// when the machine is shared and the run could not reach full load.
		b.ReportMetric(float64(cpu.Microseconds())/float64(fwd), "relay-cpu-us/pkt")
	}
	b.ReportMetric(float64(res.Received)/res.Seconds, "recv-pkts/s")
	b.ReportMetric(res.P50ms, "p50-ms")
	b.ReportMetric(res.P99ms, "p99-ms")
	if res.Sent > 0 {
		b.ReportMetric(100*float64(res.Sent-res.Received)/float64(res.Sent), "loss%")
	}
	b.ReportMetric(res.ClientCPUPctCore, "clients-cpu%core")
}

// pipeJoiner sends joins to the relay process.
type pipeJoiner struct {
	mu sync.Mutex
	in *bufio.Reader
}

func (p *pipeJoiner) Join(_ context.Context, req media.JoinRequest) (media.JoinResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	emit(benchMsg{Op: "join", Room: req.Room, Role: req.Role.String(), SDP: req.OfferSDP})
	line, err := p.in.ReadBytes('\n')
	if err != nil {
		return media.JoinResult{}, err
	}
	var reply benchMsg
	if err := json.Unmarshal(line, &reply); err != nil {
		return media.JoinResult{}, err
	}
	if reply.Error != "" {
		return media.JoinResult{}, errors.New(reply.Error)
	}
	return media.JoinResult{Participant: reply.Participant, AnswerSDP: reply.SDP}, nil
}

func emit(m benchMsg) {
	line, _ := json.Marshal(m)
	fmt.Println(benchPrefix + string(line))
}

// clientSide is the child process: every client, the load and the
// measurements of what arrives.
func clientSide(b *testing.B) {
	n := envInt("MEDIA_BENCH_CALLS", 10)
	j := &pipeJoiner{in: bufio.NewReader(os.Stdin)}
	res := runCalls(b, n, func(i int, a, z *testClient) {
		room := media.RoomID("bench-" + strconv.Itoa(i))
		if err := a.join(j, room, media.RoleCitizen); err != nil {
			b.Fatal(err)
		}
		if err := z.join(j, room, media.RoleClerk); err != nil {
			b.Fatal(err)
		}
	}, func(op string) { emit(benchMsg{Op: op}) })
	emit(benchMsg{Op: "result", Result: &res})
}
