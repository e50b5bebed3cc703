package readside

import (
	"sync"
	"sync/atomic"

	"github.com/buergerbuero/buergerbuero/domain"
)

// DefaultBuffer is the per-subscriber buffer of a Fanout built with 0.
const DefaultBuffer = 64

// Fanout is the in-memory ChangeNotifier of one process. Each subscriber
// has a bounded buffer; when it is full, the oldest buffered change is
// dropped to make room and the next delivered change reports how many were
// missed. A slow subscriber therefore never blocks a projection.
//
// Subscriptions for one visit (the citizens' waiting pages, most of them)
// are indexed by visit, so a change reaches them without scanning every
// subscription.
type Fanout struct {
	buffer int

	mu      sync.RWMutex
	general subscriberSet                    // filters without a visit
	byVisit map[domain.VisitID]subscriberSet // filters for one visit
	n       int

	dropped atomic.Uint64
}

type subscriberSet map[*subscriber]struct{}

type subscriber struct {
	filter Filter
	mu     sync.Mutex // serialises sends and close
	ch     chan Change
	closed bool
	missed int
}

var _ ChangeNotifier = (*Fanout)(nil)

// NewFanout returns a Fanout with buffer changes per subscriber
// (DefaultBuffer when buffer < 1).
func NewFanout(buffer int) *Fanout {
	if buffer < 1 {
		buffer = DefaultBuffer
	}
	return &Fanout{buffer: buffer, general: subscriberSet{}, byVisit: map[domain.VisitID]subscriberSet{}}
}

// Subscribe implements ChangeNotifier.
func (f *Fanout) Subscribe(filter Filter) (<-chan Change, func()) {
	s := &subscriber{filter: filter, ch: make(chan Change, f.buffer)}
	f.mu.Lock()
	f.setFor(filter, true)[s] = struct{}{}
	f.n++
	f.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			f.mu.Lock()
			set := f.setFor(filter, false)
			delete(set, s)
			if len(set) == 0 && !filter.VisitID.IsZero() {
				delete(f.byVisit, filter.VisitID)
			}
			f.n--
			f.mu.Unlock()
			s.mu.Lock()
			s.closed = true
			close(s.ch)
			s.mu.Unlock()
		})
	}
}

// setFor returns the set holding subscriptions with filter; mu must be held.
func (f *Fanout) setFor(filter Filter, create bool) subscriberSet {
	if filter.VisitID.IsZero() {
		return f.general
	}
	set, ok := f.byVisit[filter.VisitID]
	if !ok && create {
		set = subscriberSet{}
		f.byVisit[filter.VisitID] = set
	}
	return set
}

// Notify implements ChangeNotifier.
func (f *Fanout) Notify(c Change) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	f.offerAll(f.general, c)
	if !c.VisitID.IsZero() {
		f.offerAll(f.byVisit[c.VisitID], c)
	}
}

func (f *Fanout) offerAll(set subscriberSet, c Change) {
	for s := range set {
		if s.filter.Matches(c) {
			f.dropped.Add(uint64(s.offer(c)))
		}
	}
}

// Subscribers returns how many subscriptions are open.
func (f *Fanout) Subscribers() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.n
}

// Dropped returns how many changes were dropped for slow subscribers.
func (f *Fanout) Dropped() uint64 { return f.dropped.Load() }

// offer delivers c without blocking and returns how many changes it dropped.
func (s *subscriber) offer(c Change) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0
	}
	dropped := 0
	for {
		c.Missed = s.missed
		select {
		case s.ch <- c:
			s.missed = 0
			return dropped
		default:
		}
		select {
		case old := <-s.ch: // drop the oldest to make room for the newest
			s.missed += 1 + old.Missed
			dropped++
		default:
		}
	}
}
