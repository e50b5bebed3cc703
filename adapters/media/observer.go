package media

import (
	"sync"
	"time"
)

// Observer receives the lifecycle of calls; the application implements it
// and turns the callbacks into events. Calls arrive one at a time, in the
// order things happened, from a single goroutine of the relay, never from a
// media path: a slow Observer delays later callbacks, not packets.
type Observer interface {
	// CallStarted: the first participant joined the room.
	CallStarted(room RoomID, at time.Time)
	// ParticipantJoined: Join succeeded for participant in role.
	ParticipantJoined(room RoomID, participant ParticipantID, role Role)
	// ParticipantLeft: the participant is gone (Leave, lost connection,
	// failed negotiation, room closed).
	ParticipantLeft(room RoomID, participant ParticipantID, role Role, reason Reason)
	// CallEnded: the room was closed; duration runs from CallStarted.
	// Rooms closed before anyone joined end with duration 0 and no
	// CallStarted.
	CallEnded(room RoomID, duration time.Duration, reason Reason)
}

// NopObserver ignores every callback.
type NopObserver struct{}

func (NopObserver) CallStarted(RoomID, time.Time)                       {}
func (NopObserver) ParticipantJoined(RoomID, ParticipantID, Role)       {}
func (NopObserver) ParticipantLeft(RoomID, ParticipantID, Role, Reason) {}
func (NopObserver) CallEnded(RoomID, time.Duration, Reason)             {}

// dispatcher delivers Observer callbacks in order from one goroutine through
// an unbounded queue, so that Pion callbacks and API calls never block on
// the application.
type dispatcher struct {
	obs  Observer
	mu   sync.Mutex
	cond *sync.Cond
	q    []func(Observer)
	done bool
	idle chan struct{}
}

func newDispatcher(obs Observer) *dispatcher {
	d := &dispatcher{obs: obs, idle: make(chan struct{})}
	d.cond = sync.NewCond(&d.mu)
	go d.run()
	return d
}

func (d *dispatcher) post(f func(Observer)) {
	d.mu.Lock()
	if !d.done {
		d.q = append(d.q, f)
		d.cond.Signal()
	}
	d.mu.Unlock()
}

func (d *dispatcher) run() {
	defer close(d.idle)
	for {
		d.mu.Lock()
		for len(d.q) == 0 && !d.done {
			d.cond.Wait()
		}
		if len(d.q) == 0 {
			d.mu.Unlock()
			return
		}
		f := d.q[0]
		d.q[0] = nil
		d.q = d.q[1:]
		d.mu.Unlock()
		f(d.obs)
	}
}

// close delivers what is queued, then stops.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.done = true
	d.cond.Signal()
	d.mu.Unlock()
	<-d.idle
}
