package media

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Relay is the SFU: rooms, participants and the forwarding between them.
// All methods are safe for concurrent use.
type Relay struct {
	cfg    Config
	engine *engine
	turn   *turnServer
	events *dispatcher

	mu        sync.Mutex
	closed    bool
	rooms     map[RoomID]*room
	openRooms int
	forget    map[RoomID]*time.Timer // closed rooms still remembered

	addrMu  sync.Mutex // leaf lock: may be taken under room.mu
	perAddr map[netip.Addr]int

	closing   sync.WaitGroup // peer connections being closed
	forwarded atomic.Uint64
}

// JoinRequest is one participant's WHIP-style join. The application has
// already checked the admission token and derived Room and Role from it.
type JoinRequest struct {
	Room RoomID
	Role Role
	// ClientAddr is the client's IP address as seen by the HTTP layer; it is
	// only counted against Config.MaxConnectionsPerClientAddr.
	ClientAddr netip.Addr
	// OfferSDP must open the data channels SignallingLabel and ChatLabel.
	OfferSDP string
	// Participant is optional: a NewParticipantID issued earlier (for
	// ICEServers). Empty means the relay picks one.
	Participant ParticipantID
}

// JoinResult is the answer for the client, complete with ICE candidates.
type JoinResult struct {
	Participant ParticipantID
	AnswerSDP   string
}

// Stats is a snapshot for metrics.
type Stats struct {
	Rooms            int
	Participants     int
	PacketsForwarded uint64 // RTP packets read from publishers and fanned out
}

// New builds a relay from cfg (defaults applied) and reports to obs (nil
// means NopObserver). Close releases everything.
func New(cfg Config, obs Observer) (*Relay, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if obs == nil {
		obs = NopObserver{}
	}
	e, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	r := &Relay{cfg: cfg, engine: e, rooms: map[RoomID]*room{}, forget: map[RoomID]*time.Timer{}, perAddr: map[netip.Addr]int{}}
	if cfg.TURN != nil {
		if r.turn, err = startTURN(*cfg.TURN, cfg.Clock); err != nil {
			_ = e.close()
			return nil, err
		}
	}
	r.events = newDispatcher(obs)
	return r, nil
}

// OpenRoom makes a room ready for Join; the application calls it when it
// admits a visit.
func (r *Relay) OpenRoom(id RoomID) error {
	if id == "" {
		return opErr("open", id, "", ErrInvalidRequest)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch rm, ok := r.rooms[id]; {
	case r.closed:
		return opErr("open", id, "", ErrRelayClosed)
	case ok && rm.isClosed():
		return opErr("open", id, "", ErrRoomClosed)
	case ok:
		return opErr("open", id, "", ErrRoomExists)
	case r.openRooms >= r.cfg.MaxRooms:
		return opErr("open", id, "", ErrTooManyRooms)
	}
	r.rooms[id] = newRoom(id, r)
	r.openRooms++
	return nil
}

// Join adds a participant to an open room and returns the SDP answer. It
// refuses unknown, closed and full rooms, a second citizen or clerk, and
// clients over their connection limit. It returns only after ICE gathering
// has completed (no trickle).
func (r *Relay) Join(ctx context.Context, req JoinRequest) (JoinResult, error) {
	const op = "join"
	if req.Role.IsZero() || !req.ClientAddr.IsValid() || req.OfferSDP == "" {
		return JoinResult{}, opErr(op, req.Room, req.Participant, ErrInvalidRequest)
	}
	if req.Participant == "" {
		req.Participant = NewParticipantID()
	}
	addr := req.ClientAddr.Unmap()
	rm, err := r.admitAddr(req.Room, addr)
	if err != nil {
		return JoinResult{}, opErr(op, req.Room, req.Participant, err)
	}
	p := newParticipant(req.Participant, req.Role, addr, rm)
	tr, err := newTransport(transportParams{engine: r.engine, handler: p})
	if err != nil {
		r.releaseAddr(addr)
		return JoinResult{}, opErr(op, req.Room, req.Participant, err)
	}
	p.tr = tr
	if err := rm.reserve(p); err != nil {
		r.releaseAddr(addr)
		tr.close()
		return JoinResult{}, opErr(op, req.Room, req.Participant, err)
	}
	answer, err := tr.answer(ctx, req.OfferSDP)
	if err == nil {
		err = rm.admit(p)
	}
	if err != nil {
		rm.remove(p, ReasonNegotiationFailed) // not reported: it never joined
		return JoinResult{}, opErr(op, req.Room, req.Participant, err)
	}
	return JoinResult{Participant: p.id, AnswerSDP: answer}, nil
}

// Renegotiate answers a joined participant's new offer, for example one
// that adds a screen-share track. See SignalMessage for glare handling.
func (r *Relay) Renegotiate(ctx context.Context, room RoomID, participant ParticipantID, offerSDP string) (string, error) {
	const op = "renegotiate"
	p, err := r.participant(room, participant)
	if err != nil {
		return "", opErr(op, room, participant, err)
	}
	answer, err := p.renegotiate(ctx, offerSDP)
	if err != nil {
		return "", opErr(op, room, participant, err)
	}
	return answer, nil
}

// Leave removes a participant, reported with ReasonLeft. The room stays
// open (a citizen may reconnect) until CloseRoom.
func (r *Relay) Leave(room RoomID, participant ParticipantID) error {
	p, err := r.participant(room, participant)
	if err != nil {
		return opErr("leave", room, participant, err)
	}
	p.room.remove(p, ReasonLeft)
	return nil
}

// CloseRoom ends the call: every participant is removed (ReasonRoomClosed)
// and CallEnded is reported with reason. A closed room refuses Join.
func (r *Relay) CloseRoom(id RoomID, reason Reason) error {
	if reason != ReasonCompleted && reason != ReasonAborted && reason != ReasonShutdown {
		return opErr("close", id, "", ErrInvalidRequest)
	}
	r.mu.Lock()
	rm, ok := r.rooms[id]
	r.mu.Unlock()
	if !ok {
		return opErr("close", id, "", ErrUnknownRoom)
	}
	if !rm.close(reason) {
		return opErr("close", id, "", ErrRoomClosed)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.openRooms--
	if !r.closed {
		r.forget[id] = time.AfterFunc(r.cfg.ClosedRoomRetention, func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.rooms[id] == rm {
				delete(r.rooms, id)
				delete(r.forget, id)
			}
		})
	}
	return nil
}

// Stats returns counters for metrics.
func (r *Relay) Stats() Stats {
	r.mu.Lock()
	rooms := make([]*room, 0, len(r.rooms))
	for _, rm := range r.rooms {
		rooms = append(rooms, rm)
	}
	r.mu.Unlock()
	s := Stats{PacketsForwarded: r.forwarded.Load()}
	for _, rm := range rooms {
		rm.mu.Lock()
		if !rm.closed {
			s.Rooms++
			s.Participants += len(rm.participants)
		}
		rm.mu.Unlock()
	}
	return s
}

// Close closes every room (ReasonShutdown), waits for the peer connections
// to close, stops TURN and delivers the last Observer callbacks.
func (r *Relay) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	ids := make([]RoomID, 0, len(r.rooms))
	for id := range r.rooms {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	for _, id := range ids {
		_ = r.CloseRoom(id, ReasonShutdown)
	}
	r.closing.Wait()
	r.mu.Lock()
	for _, t := range r.forget {
		t.Stop()
	}
	r.mu.Unlock()
	var errs []error
	if r.turn != nil {
		errs = append(errs, r.turn.close())
	}
	errs = append(errs, r.engine.close())
	r.events.close()
	return errors.Join(errs...)
}

func (r *Relay) admitAddr(id RoomID, addr netip.Addr) (*room, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrRelayClosed
	}
	rm, ok := r.rooms[id]
	if !ok {
		return nil, ErrUnknownRoom
	}
	r.addrMu.Lock()
	defer r.addrMu.Unlock()
	if r.perAddr[addr] >= r.cfg.MaxConnectionsPerClientAddr {
		return nil, ErrTooManyConnections
	}
	r.perAddr[addr]++
	return rm, nil
}

func (r *Relay) releaseAddr(addr netip.Addr) {
	r.addrMu.Lock()
	defer r.addrMu.Unlock()
	if r.perAddr[addr]--; r.perAddr[addr] <= 0 {
		delete(r.perAddr, addr)
	}
}

// release frees what a removed participant held: its address slot and its
// peer connection (closed off the caller's goroutine, which may be a Pion
// callback).
func (r *Relay) release(p *participant) {
	r.releaseAddr(p.addr)
	r.closing.Add(1)
	go func() {
		defer r.closing.Done()
		p.tr.close()
	}()
}

func (r *Relay) participant(room RoomID, id ParticipantID) (*participant, error) {
	r.mu.Lock()
	rm, ok := r.rooms[room]
	r.mu.Unlock()
	if !ok {
		return nil, ErrUnknownRoom
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.closed {
		return nil, ErrRoomClosed
	}
	p, ok := rm.participants[id]
	if !ok || !p.ready {
		return nil, ErrUnknownParticipant
	}
	return p, nil
}
