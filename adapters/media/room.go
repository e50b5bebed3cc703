package media

import (
	"sync"
	"time"

	"github.com/pion/webrtc/v4"
)

// room is one call. Lock order: Relay.mu, then room.mu.
type room struct {
	id    RoomID
	relay *Relay

	mu           sync.Mutex
	closed       bool
	startedAt    time.Time // zero until the first Join
	participants map[ParticipantID]*participant
	tracks       map[*publishedTrack]struct{}
}

func newRoom(id RoomID, r *Relay) *room {
	return &room{id: id, relay: r, participants: map[ParticipantID]*participant{}, tracks: map[*publishedTrack]struct{}{}}
}

// reserve checks the room's limits and takes a slot for a new participant.
func (rm *room) reserve(p *participant) error {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.closed {
		return ErrRoomClosed
	}
	if _, ok := rm.participants[p.id]; ok {
		return ErrParticipantExists
	}
	if len(rm.participants) >= rm.relay.cfg.MaxParticipantsPerRoom {
		return ErrRoomFull
	}
	if p.role.unique() {
		for _, o := range rm.participants {
			if o.role == p.role {
				return ErrRoleTaken
			}
		}
	}
	rm.participants[p.id] = p
	return nil
}

// admit marks a participant whose answer is ready as joined: it reports the
// events and subscribes it to every published track.
func (rm *room) admit(p *participant) error {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if p.gone {
		return ErrRoomClosed
	}
	p.ready = true
	if rm.startedAt.IsZero() {
		at := rm.relay.cfg.Clock()
		rm.startedAt = at
		rm.relay.events.post(func(o Observer) { o.CallStarted(rm.id, at) })
	}
	id, role := p.id, p.role
	rm.relay.events.post(func(o Observer) { o.ParticipantJoined(rm.id, id, role) })
	for t := range rm.tracks {
		if t.owner != p {
			rm.subscribe(p, t)
		}
	}
	go p.negotiate()
	return nil
}

// publish adds a track and forwards it to every joined participant.
func (rm *room) publish(t *publishedTrack) bool {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if t.owner.gone {
		return false
	}
	rm.tracks[t] = struct{}{}
	t.owner.owned[t] = struct{}{}
	for _, p := range rm.participants {
		if p != t.owner && p.ready {
			rm.subscribe(p, t)
		}
	}
	return true
}

// subscribe adds a send-only transceiver for t to p; room.mu held.
func (rm *room) subscribe(p *participant, t *publishedTrack) {
	tr, err := p.tr.pc.AddTransceiverFromTrack(t.local, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		return
	}
	sender := tr.Sender()
	p.subs[t] = sender
	go t.readSubscriberRTCP(sender, rm.relay.cfg.Clock)
	p.requestNegotiation()
}

// unpublish removes an ended track from every subscriber.
func (rm *room) unpublish(t *publishedTrack) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.dropTrack(t)
}

// dropTrack; room.mu held.
func (rm *room) dropTrack(t *publishedTrack) {
	if _, ok := rm.tracks[t]; !ok {
		return
	}
	delete(rm.tracks, t)
	delete(t.owner.owned, t)
	for _, p := range rm.participants {
		if sender, ok := p.subs[t]; ok {
			delete(p.subs, t)
			if !p.gone {
				_ = p.tr.pc.RemoveTrack(sender)
				p.requestNegotiation()
			}
		}
	}
}

// remove takes p out of the room (idempotent) and reports it as left if it
// had joined.
func (rm *room) remove(p *participant, reason Reason) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.removeLocked(p, reason)
}

func (rm *room) removeLocked(p *participant, reason Reason) {
	if p.gone {
		return
	}
	p.gone = true
	if rm.participants[p.id] == p {
		delete(rm.participants, p.id)
	}
	for t := range p.owned {
		rm.dropTrack(t)
	}
	close(p.done)
	rm.relay.release(p)
	if p.ready {
		id, role := p.id, p.role
		rm.relay.events.post(func(o Observer) { o.ParticipantLeft(rm.id, id, role, reason) })
	}
}

// close ends the call; it returns false if the room was already closed.
func (rm *room) close(reason Reason) bool {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.closed {
		return false
	}
	rm.closed = true
	for _, p := range rm.participants {
		rm.removeLocked(p, ReasonRoomClosed)
	}
	if !rm.startedAt.IsZero() {
		d := rm.relay.cfg.Clock().Sub(rm.startedAt)
		rm.relay.events.post(func(o Observer) { o.CallEnded(rm.id, d, reason) })
	} else {
		rm.relay.events.post(func(o Observer) { o.CallEnded(rm.id, 0, reason) })
	}
	return true
}

// roster maps the stream IDs of forwarded tracks (participant IDs) to roles.
func (rm *room) roster() map[ParticipantID]string {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	m := make(map[ParticipantID]string, len(rm.participants))
	for id, p := range rm.participants {
		m[id] = p.role.String()
	}
	return m
}

// requestKeyframes asks the publishers of p's subscriptions for keyframes,
// so a freshly negotiated subscriber sees video at once.
func (rm *room) requestKeyframes(p *participant) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	now := rm.relay.cfg.Clock()
	for t := range p.subs {
		t.requestKeyframe(now)
	}
}

// relayChat delivers a chat message to every other joined participant.
func (rm *room) relayChat(from *participant, text string) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if from.gone {
		return
	}
	m := ChatMessage{From: from.id, Role: from.role.String(), Text: text}
	for _, p := range rm.participants {
		if p != from && p.ready {
			p.sendChat(m)
		}
	}
}

func (rm *room) isClosed() bool {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return rm.closed
}
