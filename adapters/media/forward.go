package media

import (
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// keyframeInterval throttles keyframe requests to one publisher track, so a
// burst of subscriber PLIs costs one keyframe.
const keyframeInterval = 100 * time.Millisecond

// publishedTrack is one incoming track of a participant and the single local
// track that fans it out to every subscriber (Pion binds one local track to
// many peer connections and rewrites SSRC and payload type per binding).
type publishedTrack struct {
	owner     *participant
	remote    *webrtc.TrackRemote
	local     *webrtc.TrackLocalStaticRTP
	lastPLI   atomic.Int64 // unix nanos of the last keyframe request
	forwarded *atomic.Uint64
}

func newPublishedTrack(owner *participant, remote *webrtc.TrackRemote, counter *atomic.Uint64) (*publishedTrack, error) {
	id := remote.ID()
	if id == "" {
		id = uuid.NewString()
	}
	local, err := webrtc.NewTrackLocalStaticRTP(remote.Codec().RTPCodecCapability, id, string(owner.id))
	if err != nil {
		return nil, err
	}
	return &publishedTrack{owner: owner, remote: remote, local: local, forwarded: counter}, nil
}

// forward copies packets until the remote track ends. Header extensions are
// dropped: their IDs were negotiated with the publisher, not the subscribers.
// Nothing is buffered beyond the NACK responder's history, nothing written.
func (t *publishedTrack) forward() {
	buf := make([]byte, 1500)
	var pkt rtp.Packet
	for {
		n, _, err := t.remote.Read(buf)
		if err != nil {
			return
		}
		if pkt.Unmarshal(buf[:n]) != nil {
			continue
		}
		pkt.Header.Extension = false
		pkt.Header.ExtensionProfile = 0
		pkt.Header.Extensions = pkt.Header.Extensions[:0]
		_ = t.local.WriteRTP(&pkt) // a failing subscriber must not stop the others
		t.forwarded.Add(1)
	}
}

// requestKeyframe sends a PLI to the publisher, at most once per
// keyframeInterval.
func (t *publishedTrack) requestKeyframe(now time.Time) {
	if t.remote.Kind() != webrtc.RTPCodecTypeVideo {
		return
	}
	last := t.lastPLI.Load()
	if now.UnixNano()-last < int64(keyframeInterval) || !t.lastPLI.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	_ = t.owner.tr.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(t.remote.SSRC())}})
}

// readSubscriberRTCP drains a subscriber's RTCP for this track (the NACK
// responder and reports work inside Pion's interceptors) and turns PLI and
// FIR into a keyframe request to the publisher.
func (t *publishedTrack) readSubscriberRTCP(sender *webrtc.RTPSender, now func() time.Time) {
	for {
		pkts, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				t.requestKeyframe(now())
			}
		}
	}
}
