package callintegration_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

// silentConn is the client's UDP socket; vanish makes the client drop off
// the network without a goodbye.
type silentConn struct {
	*net.UDPConn
	gone atomic.Bool
}

func (c *silentConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if c.gone.Load() {
		return len(b), nil
	}
	return c.UDPConn.WriteTo(b, addr)
}

func (c *silentConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, a, err := c.UDPConn.ReadFrom(b)
		if err != nil || !c.gone.Load() {
			return n, a, err
		}
	}
}

// received is what a client got on one remote track.
type received struct {
	mu      sync.Mutex
	packets []*rtp.Packet
}

func (r *received) snapshot() []*rtp.Packet {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*rtp.Packet(nil), r.packets...)
}

// client is a Go Pion peer playing a browser: loopback only, mDNS off,
// joining through the API as call.js does.
type client struct {
	t        *testing.T
	pc       *webrtc.PeerConnection
	conn     *silentConn
	sig      *webrtc.DataChannel
	audio    *webrtc.TrackLocalStaticRTP
	video    *webrtc.TrackLocalStaticRTP
	id       string // participant ID
	resource string // Location of join-call
	token    string

	sigMu  sync.Mutex
	mu     sync.Mutex
	tracks map[string]*received // stream ID (publisher's participant ID) + "/" + track ID

	audioSeq, videoSeq uint16
}

func newClient(t *testing.T) *client {
	t.Helper()
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureNack(m, reg); err != nil {
		t.Fatal(err)
	}
	udp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	conn := &silentConn{UDPConn: udp}
	s := webrtc.SettingEngine{}
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetIncludeLoopbackCandidate(true)
	s.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	mux := webrtc.NewICEUDPMux(nil, conn)
	s.SetICEUDPMux(mux)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(s))
	pc, err := api.NewPeerConnection(webrtc.Configuration{BundlePolicy: webrtc.BundlePolicyMaxBundle})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, pc: pc, conn: conn, tracks: map[string]*received{}}
	t.Cleanup(func() {
		_ = pc.Close()
		_ = mux.Close()
		_ = udp.Close()
	})
	c.audio, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", "local")
	if err != nil {
		t.Fatal(err)
	}
	c.video, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", "local")
	if err != nil {
		t.Fatal(err)
	}
	send := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}
	for _, tr := range []*webrtc.TrackLocalStaticRTP{c.audio, c.video} {
		if _, err := pc.AddTransceiverFromTrack(tr, send); err != nil {
			t.Fatal(err)
		}
	}
	if c.sig, err = pc.CreateDataChannel(media.SignallingLabel, nil); err != nil {
		t.Fatal(err)
	}
	if _, err = pc.CreateDataChannel(media.ChatLabel, nil); err != nil {
		t.Fatal(err)
	}
	c.sig.OnMessage(func(msg webrtc.DataChannelMessage) { go c.onSignal(msg.Data) })
	pc.OnTrack(c.onTrack)
	return c
}

// offer returns the complete offer (ICE gathering finished: no trickle).
func (c *client) offer() string {
	c.t.Helper()
	sdp, err := c.localDescription(func() (webrtc.SessionDescription, error) { return c.pc.CreateOffer(nil) })
	if err != nil {
		c.t.Fatal(err)
	}
	return sdp
}

func (c *client) localDescription(create func() (webrtc.SessionDescription, error)) (string, error) {
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

// join posts the offer to the WHIP URL with the join token and applies the
// answer.
func (c *client) join(s *system, tok callToken) {
	c.t.Helper()
	resp, b := s.whip(c.t, http.MethodPost, tok.WHIPURL, tok.Token, c.offer())
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/sdp" {
		c.t.Fatalf("join as %s: %d %s", tok.Role, resp.StatusCode, b)
	}
	c.id, c.resource, c.token = tok.ParticipantID, resp.Header.Get("Location"), tok.Token
	if c.resource != tok.WHIPURL+"/"+tok.ParticipantID {
		c.t.Fatalf("Location %q for participant %s", c.resource, tok.ParticipantID)
	}
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(b)}); err != nil {
		c.t.Fatalf("answer: %v", err)
	}
}

// leave deletes the participant's resource, as call.js does.
func (c *client) leave(s *system) {
	c.t.Helper()
	if resp, b := s.whip(c.t, http.MethodDelete, c.resource, c.token, ""); resp.StatusCode != http.StatusNoContent {
		c.t.Fatalf("leave: %d %s", resp.StatusCode, b)
	}
}

// vanish drops the client off the network without leaving.
func (c *client) vanish() { c.conn.gone.Store(true) }

func (c *client) onSignal(data []byte) {
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

func (c *client) onTrack(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	rec := &received{}
	c.mu.Lock()
	c.tracks[tr.StreamID()+"/"+tr.ID()] = rec
	c.mu.Unlock()
	for {
		p, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		rec.mu.Lock()
		rec.packets = append(rec.packets, p)
		rec.mu.Unlock()
	}
}

func (c *client) track(from, trackID string) *received {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tracks[from+"/"+trackID]
}

// hasMedia reports whether c receives both tracks of participant from.
func (c *client) hasMedia(from string) bool {
	a, v := c.track(from, "audio"), c.track(from, "video")
	return a != nil && v != nil && len(a.snapshot()) > 0 && len(v.snapshot()) > 0
}

const (
	audioSize = 120
	videoSize = 1000
)

func payload(kind string, i, size int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, size)
	copy(b, fmt.Sprintf("data:%s:%05d:", kind, i))
	return b
}

// write sends one synthetic Opus and one VP8 packet.
func (c *client) write(audio, video []byte) {
	c.audioSeq++
	c.videoSeq++
	_ = c.audio.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: c.audioSeq, Timestamp: uint32(c.audioSeq) * 960}, Payload: audio})
	_ = c.video.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: c.videoSeq, Timestamp: uint32(c.videoSeq) * 3000, Marker: true}, Payload: video})
}

// sendData sends n data packets per track and returns the first sequence
// numbers used.
func (c *client) sendData(n int) (audioFirst, videoFirst uint16) {
	audioFirst, videoFirst = c.audioSeq+1, c.videoSeq+1
	for i := 0; i < n; i++ {
		c.write(payload("audio", i, audioSize), payload("video", i, videoSize))
		time.Sleep(time.Millisecond) // pacing like a real sender
	}
	return audioFirst, videoFirst
}

// checkData asserts that rec holds exactly the n data packets of kind, in
// order, with consecutive sequence numbers from first and intact payloads.
func checkData(t *testing.T, rec *received, kind string, first uint16, n, size int) {
	t.Helper()
	if rec == nil {
		t.Fatalf("%s: track not received", kind)
	}
	var data []*rtp.Packet
	waitFor(t, kind+" data packets", func() bool {
		data = data[:0]
		for _, p := range rec.snapshot() {
			if bytes.HasPrefix(p.Payload, []byte("data:")) {
				data = append(data, p)
			}
		}
		return len(data) >= n
	})
	if len(data) != n {
		t.Fatalf("%s: %d data packets, want %d", kind, len(data), n)
	}
	for i, p := range data {
		if want := first + uint16(i); p.SequenceNumber != want {
			t.Fatalf("%s packet %d: sequence %d, want %d", kind, i, p.SequenceNumber, want)
		}
		if !bytes.Equal(p.Payload, payload(kind, i, size)) {
			t.Fatalf("%s packet %d: payload differs", kind, i)
		}
	}
}

var screenSeq atomic.Uint32

func rtpPacket() *rtp.Packet {
	n := screenSeq.Add(1)
	return &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: uint16(n), Timestamp: n * 3000, Marker: true}, Payload: []byte("screen")}
}
