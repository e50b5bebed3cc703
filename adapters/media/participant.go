package media

import (
	"context"
	"encoding/json"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/pion/webrtc/v4"
	"golang.org/x/time/rate"
)

// Chat is typed by people: a participant may send chatBurst messages at once
// and chatRate per second after that; the rest is dropped, not queued.
const (
	chatRate  = 5
	chatBurst = 20
)

// participant is one peer connection in a room. Fields marked "room.mu"
// are guarded by the room's mutex.
type participant struct {
	id   ParticipantID
	role Role
	addr netip.Addr
	room *room
	tr   *transport

	ready bool                                  // room.mu: Join answered, may receive tracks
	gone  bool                                  // room.mu: removed
	subs  map[*publishedTrack]*webrtc.RTPSender // room.mu: tracks forwarded to this participant
	owned map[*publishedTrack]struct{}          // room.mu: tracks this participant publishes

	negMu   sync.Mutex    // one offer/answer exchange at a time on tr.pc
	needNeg chan struct{} // cap 1: the relay must send an offer
	answers chan string   // cap 1: answers from the signalling channel
	sigOpen chan struct{} // closed when the signalling channel opens
	sigOnce sync.Once
	sig     atomic.Pointer[webrtc.DataChannel]
	chat    atomic.Pointer[webrtc.DataChannel]
	chatIn  *rate.Limiter // messages from this participant
	done    chan struct{} // closed on removal
}

func newParticipant(id ParticipantID, role Role, addr netip.Addr, rm *room) *participant {
	return &participant{
		id: id, role: role, addr: addr, room: rm,
		subs:    map[*publishedTrack]*webrtc.RTPSender{},
		owned:   map[*publishedTrack]struct{}{},
		needNeg: make(chan struct{}, 1),
		answers: make(chan string, 1),
		sigOpen: make(chan struct{}),
		done:    make(chan struct{}),
		chatIn:  rate.NewLimiter(chatRate, chatBurst),
	}
}

// onTrack: the participant publishes a new track (camera, microphone,
// screen share).
func (p *participant) onTrack(remote *webrtc.TrackRemote) {
	t, err := newPublishedTrack(p, remote, &p.room.relay.forwarded)
	if err != nil {
		return
	}
	if !p.room.publish(t) {
		return
	}
	t.forward()
	p.room.unpublish(t)
}

func (p *participant) onDataChannel(dc *webrtc.DataChannel) {
	switch dc.Label() {
	case SignallingLabel:
		dc.OnOpen(func() {
			p.sig.Store(dc)
			p.sigOnce.Do(func() { close(p.sigOpen) })
		})
		dc.OnMessage(func(msg webrtc.DataChannelMessage) {
			var m SignalMessage
			if json.Unmarshal(msg.Data, &m) != nil || m.Type != "answer" {
				return
			}
			select {
			case p.answers <- m.SDP:
			default: // an answer nobody asked for
			}
		})
	case ChatLabel:
		dc.OnOpen(func() { p.chat.Store(dc) })
		max := p.room.relay.cfg.MaxChatMessageBytes
		dc.OnMessage(func(msg webrtc.DataChannelMessage) {
			if !msg.IsString || len(msg.Data) > max || !utf8.Valid(msg.Data) || !p.chatIn.Allow() {
				return
			}
			p.room.relayChat(p, string(msg.Data))
		})
	default:
		_ = dc.Close()
	}
}

func (p *participant) onConnectionState(s webrtc.PeerConnectionState) {
	switch s {
	case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
		p.room.remove(p, ReasonConnectionLost)
	}
}

func (p *participant) sendChat(m ChatMessage) {
	if dc := p.chat.Load(); dc != nil {
		_ = dc.SendText(encode(m))
	}
}

// requestNegotiation marks that the relay must send a new offer.
func (p *participant) requestNegotiation() {
	select {
	case p.needNeg <- struct{}{}:
	default:
	}
}

// negotiate runs for the participant's lifetime and sends relay offers over
// the signalling channel, one at a time.
func (p *participant) negotiate() {
	timeout := p.room.relay.cfg.NegotiationTimeout
	for {
		select {
		case <-p.done:
			return
		case <-p.needNeg:
		}
		if err := p.exchange(timeout); err != nil {
			p.room.remove(p, ReasonNegotiationFailed)
			return
		}
	}
}

// exchange sends one offer and applies its answer.
func (p *participant) exchange(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	select {
	case <-p.sigOpen:
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	p.negMu.Lock()
	defer p.negMu.Unlock()
	select { // drop a stale answer
	case <-p.answers:
	default:
	}
	sdp, err := p.tr.offer(ctx)
	if err != nil {
		return err
	}
	msg := SignalMessage{Type: "offer", SDP: sdp, Participants: p.room.roster()}
	if err := p.sig.Load().SendText(encode(msg)); err != nil {
		return err
	}
	select {
	case ans := <-p.answers:
		if err := p.tr.applyAnswer(ans); err != nil {
			return err
		}
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	p.room.requestKeyframes(p)
	return nil
}

// renegotiate answers a client offer (for example a new screen-share track).
func (p *participant) renegotiate(ctx context.Context, offerSDP string) (string, error) {
	if !p.negMu.TryLock() {
		return "", ErrNegotiationInProgress
	}
	defer p.negMu.Unlock()
	if p.tr.pc.SignalingState() != webrtc.SignalingStateStable {
		return "", ErrNegotiationInProgress
	}
	return p.tr.answer(ctx, offerSDP)
}
