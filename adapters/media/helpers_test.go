package media_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

// recorder is an Observer that keeps every callback as a line.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

func (r *recorder) CallStarted(room media.RoomID, _ time.Time) { r.add("started " + string(room)) }
func (r *recorder) ParticipantJoined(room media.RoomID, p media.ParticipantID, role media.Role) {
	r.add(fmt.Sprintf("joined %s %s %s", room, p, role))
}
func (r *recorder) ParticipantLeft(room media.RoomID, p media.ParticipantID, role media.Role, why media.Reason) {
	r.add(fmt.Sprintf("left %s %s %s %s", room, p, role, why))
}
func (r *recorder) CallEnded(room media.RoomID, d time.Duration, why media.Reason) {
	r.add(fmt.Sprintf("ended %s %s", room, why))
	if d <= 0 {
		r.add("ended with non-positive duration")
	}
}

func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

func (r *recorder) waitLen(t testing.TB, n int) []string {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d observer events", n), func() bool { return len(r.snapshot()) >= n })
	return r.snapshot()
}

// sender writes synthetic RTP on a client's tracks with its own sequence
// numbers: warm-up packets until the far side sees media, then a run of
// data packets whose every byte is known.
type sender struct {
	c                  *testClient
	audioSeq, videoSeq uint16
}

const (
	audioSize = 120
	videoSize = 1100
)

func payload(kind string, i, size int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, size)
	copy(b, fmt.Sprintf("data:%s:%05d:", kind, i))
	return b
}

func (s *sender) write(audio, video []byte) {
	s.audioSeq++
	s.videoSeq++
	_ = s.c.audio.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: s.audioSeq, Timestamp: uint32(s.audioSeq) * 960}, Payload: audio})
	_ = s.c.video.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: s.videoSeq, Timestamp: uint32(s.videoSeq) * 3000, Marker: true}, Payload: video})
}

// warmUntil sends warm-up packets until ready reports true.
func (s *sender) warmUntil(t testing.TB, ready func() bool) {
	t.Helper()
	waitFor(t, "media to flow", func() bool {
		s.write([]byte("warm"), []byte("warm"))
		return ready()
	})
}

// sendData sends n data packets per track and returns the first sequence
// numbers used.
func (s *sender) sendData(n int) (audioFirst, videoFirst uint16) {
	audioFirst, videoFirst = s.audioSeq+1, s.videoSeq+1
	for i := 0; i < n; i++ {
		s.write(payload("audio", i, audioSize), payload("video", i, videoSize))
		time.Sleep(2 * time.Millisecond) // pacing like a real sender, not a measurement
	}
	return audioFirst, videoFirst
}

// hasMedia reports whether c receives both tracks of from.
func hasMedia(c *testClient, from media.ParticipantID) func() bool {
	return func() bool {
		a, v := c.track(from, "audio"), c.track(from, "video")
		return a != nil && v != nil && len(a.snapshot()) > 0 && len(v.snapshot()) > 0
	}
}

// checkData asserts that rec holds exactly the n data packets of kind, in
// order, with consecutive sequence numbers from first and intact payloads.
func checkData(t testing.TB, rec *received, kind string, first uint16, n, size int) {
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
		t.Fatalf("%s: got %d data packets, want %d", kind, len(data), n)
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

// call opens a room and joins a citizen and a clerk who both publish.
func call(t testing.TB, r *media.Relay, room media.RoomID) (citizen, clerk *testClient) {
	t.Helper()
	if err := r.OpenRoom(room); err != nil {
		t.Fatal(err)
	}
	citizen, clerk = newTestClient(t), newTestClient(t)
	citizen.publish("citizen-stream")
	clerk.publish("clerk-stream")
	if err := citizen.join(r, room, media.RoleCitizen); err != nil {
		t.Fatalf("citizen join: %v", err)
	}
	if err := clerk.join(r, room, media.RoleClerk); err != nil {
		t.Fatalf("clerk join: %v", err)
	}
	return citizen, clerk
}

func connected(c *testClient) func() bool {
	return func() bool { return c.pc.ConnectionState() == webrtc.PeerConnectionStateConnected }
}

var screenSeq uint16

func rtpPacket(text string) *rtp.Packet {
	screenSeq++
	return &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: screenSeq, Timestamp: uint32(screenSeq) * 3000}, Payload: []byte(text)}
}
