package media_test

import (
	"context"
	"encoding/json"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// testConfig is a relay on 127.0.0.1 only. Its ICE timeouts are shorter
// than production but long enough that a busy CI machine does not drop a
// healthy participant; the vanish test shortens them further.
func testConfig() media.Config {
	return media.Config{
		ListenIPs:              []netip.Addr{loopback},
		IncludeLoopback:        true,
		ICEDisconnectedTimeout: 3 * time.Second,
		ICEFailedTimeout:       3 * time.Second,
		ICEKeepaliveInterval:   300 * time.Millisecond,
		NegotiationTimeout:     15 * time.Second,
	}
}

func newRelay(t testing.TB, cfg media.Config, obs media.Observer) *media.Relay {
	t.Helper()
	r, err := media.New(cfg, obs)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// dropConn is the client's UDP socket; drop makes the client vanish from
// the network without a goodbye.
// loseOut and loseIn, when positive, drop that many large (video) packets
// on the way out or in, one packet in every lossEvery, to exercise NACK.
type dropConn struct {
	*net.UDPConn
	drop            atomic.Bool
	loseOut, loseIn atomic.Int32
	seenOut, seenIn atomic.Int32
}

const lossEvery = 50

func lose(budget, seen *atomic.Int32, n int) bool {
	if n < 1000 || budget.Load() <= 0 || seen.Add(1)%lossEvery != 0 {
		return false
	}
	return budget.Add(-1) >= 0
}

func (c *dropConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if c.drop.Load() || lose(&c.loseOut, &c.seenOut, len(b)) {
		return len(b), nil
	}
	return c.UDPConn.WriteTo(b, addr)
}

func (c *dropConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, a, err := c.UDPConn.ReadFrom(b)
		if err != nil || !(c.drop.Load() || lose(&c.loseIn, &c.seenIn, n)) {
			return n, a, err
		}
	}
}

// received is what a client got on one remote track.
type received struct {
	mu      sync.Mutex
	track   *webrtc.TrackRemote
	packets []*rtp.Packet
}

func (r *received) snapshot() []*rtp.Packet {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*rtp.Packet(nil), r.packets...)
}

// testClient is a Go Pion peer playing a browser: loopback only, mDNS off.
type testClient struct {
	t     testing.TB
	pc    *webrtc.PeerConnection
	conn  *dropConn
	id    media.ParticipantID
	sig   *webrtc.DataChannel
	chat  *webrtc.DataChannel
	audio *webrtc.TrackLocalStaticRTP
	video *webrtc.TrackLocalStaticRTP

	videoSender *webrtc.RTPSender
	plis        atomic.Int64
	chatOpen    chan struct{}
	chatIn      chan media.ChatMessage
	sigMu       sync.Mutex

	mu     sync.Mutex
	tracks map[string]*received // key: stream ID + "/" + track ID
	onPkt  func(kind webrtc.RTPCodecType, p *rtp.Packet, at time.Time)
}

func newTestClient(t testing.TB) *testClient {
	t.Helper()
	return newTestClientWith(t, webrtc.Configuration{})
}

// newTestClientWith builds a client with the given ICE servers and policy.
func newTestClientWith(t testing.TB, conf webrtc.Configuration) *testClient {
	t.Helper()
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	// NACK and RTCP reports, like the relay; the stats interceptor would
	// only add client cost to the benchmark.
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureNack(m, reg); err != nil {
		t.Fatal(err)
	}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		t.Fatal(err)
	}
	udp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	conn := &dropConn{UDPConn: udp}
	s := webrtc.SettingEngine{}
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetIncludeLoopbackCandidate(true)
	s.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	mux := webrtc.NewICEUDPMux(nil, conn)
	s.SetICEUDPMux(mux)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(s))
	conf.BundlePolicy = webrtc.BundlePolicyMaxBundle
	pc, err := api.NewPeerConnection(conf)
	if err != nil {
		t.Fatal(err)
	}
	c := &testClient{t: t, pc: pc, conn: conn, tracks: map[string]*received{},
		chatOpen: make(chan struct{}), chatIn: make(chan media.ChatMessage, 256)}
	t.Cleanup(func() {
		_ = pc.Close()
		_ = mux.Close()
		_ = udp.Close()
	})
	return c
}

// publish adds an Opus and a VP8 track and the two data channels; it must be
// called before offer.
func (c *testClient) publish(stream string) {
	c.t.Helper()
	c.publishVideo(stream, webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000})
}

func (c *testClient) publishVideo(stream string, video webrtc.RTPCodecCapability) {
	c.t.Helper()
	var err error
	c.audio, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", stream)
	if err != nil {
		c.t.Fatal(err)
	}
	c.video, err = webrtc.NewTrackLocalStaticRTP(video, "video", stream)
	if err != nil {
		c.t.Fatal(err)
	}
	send := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}
	if _, err := c.pc.AddTransceiverFromTrack(c.audio, send); err != nil {
		c.t.Fatal(err)
	}
	tr, err := c.pc.AddTransceiverFromTrack(c.video, send)
	if err != nil {
		c.t.Fatal(err)
	}
	c.videoSender = tr.Sender()
	go c.readRTCP(c.videoSender)
}

func (c *testClient) readRTCP(sender *webrtc.RTPSender) {
	for {
		pkts, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			if _, ok := p.(*rtcp.PictureLossIndication); ok {
				c.plis.Add(1)
			}
		}
	}
}

// join opens the data channels, offers and applies the relay's answer.
func (c *testClient) join(r joiner, room media.RoomID, role media.Role) error {
	c.t.Helper()
	return c.joinAs(r, room, role, "")
}

// joiner is the relay, or the benchmark's pipe to a relay in another process.
type joiner interface {
	Join(context.Context, media.JoinRequest) (media.JoinResult, error)
}

// joinAs joins with a participant ID issued beforehand (empty: relay's).
func (c *testClient) joinAs(r joiner, room media.RoomID, role media.Role, id media.ParticipantID) error {
	c.t.Helper()
	var err error
	if c.sig, err = c.pc.CreateDataChannel(media.SignallingLabel, nil); err != nil {
		return err
	}
	if c.chat, err = c.pc.CreateDataChannel(media.ChatLabel, nil); err != nil {
		return err
	}
	c.sig.OnMessage(func(msg webrtc.DataChannelMessage) { go c.onSignal(msg.Data) })
	c.chat.OnOpen(func() { close(c.chatOpen) })
	c.chat.OnMessage(func(msg webrtc.DataChannelMessage) {
		var m media.ChatMessage
		if json.Unmarshal(msg.Data, &m) == nil {
			c.chatIn <- m
		}
	})
	c.pc.OnTrack(c.onTrack)
	offer, err := c.localDescription(func() (webrtc.SessionDescription, error) { return c.pc.CreateOffer(nil) })
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := r.Join(ctx, media.JoinRequest{Room: room, Role: role, ClientAddr: loopback, OfferSDP: offer, Participant: id})
	if err != nil {
		return err
	}
	c.id = res.Participant
	return c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: res.AnswerSDP})
}

func (c *testClient) localDescription(create func() (webrtc.SessionDescription, error)) (string, error) {
	d, err := create()
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(d); err != nil {
		return "", err
	}
	<-gathered
	return c.pc.LocalDescription().SDP, nil
}

func (c *testClient) onSignal(data []byte) {
	c.sigMu.Lock()
	defer c.sigMu.Unlock()
	var m media.SignalMessage
	if json.Unmarshal(data, &m) != nil || m.Type != "offer" {
		return
	}
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
		return
	}
	ans, err := c.localDescription(func() (webrtc.SessionDescription, error) { return c.pc.CreateAnswer(nil) })
	if err != nil {
		return
	}
	b, _ := json.Marshal(media.SignalMessage{Type: "answer", SDP: ans})
	_ = c.sig.SendText(string(b))
}

func (c *testClient) onTrack(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	rec := &received{track: tr}
	c.mu.Lock()
	c.tracks[tr.StreamID()+"/"+tr.ID()] = rec
	onPkt := c.onPkt
	c.mu.Unlock()
	for {
		p, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		if onPkt != nil {
			onPkt(tr.Kind(), p, time.Now())
			continue
		}
		rec.mu.Lock()
		rec.packets = append(rec.packets, p)
		rec.mu.Unlock()
	}
}

// track returns what was received from a participant's track, or nil.
func (c *testClient) track(from media.ParticipantID, trackID string) *received {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tracks[string(from)+"/"+trackID]
}

// waitFor polls cond until it holds or the deadline passes (a hang guard,
// not a speed assertion).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
