package readmodel

import (
	"sync"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

// applyOnce applies e under mu unless tr has seen its position, and returns
// the office whose model moved (zero when nothing did). The lock is released
// even when apply panics (the router recovers and retries), and the position
// is marked only after apply returned, so a retry applies it again.
func applyOnce(mu sync.Locker, tr *readside.Tracker, e eventlog.RecordedEvent, apply func(domain.Event) domain.OfficeID) domain.OfficeID {
	mu.Lock()
	defer mu.Unlock()
	if tr.Seen(e.Position) {
		return domain.OfficeID{}
	}
	office := apply(e.Event)
	tr.Mark(e.Position)
	return office
}

// nopNotifier is used when a projection is built without a notifier.
type nopNotifier struct{}

func (nopNotifier) Notify(readside.Change) {}
func (nopNotifier) Subscribe(readside.Filter) (<-chan readside.Change, func()) {
	ch := make(chan readside.Change)
	close(ch)
	return ch, func() {}
}

func notifierOr(n readside.ChangeNotifier) readside.ChangeNotifier {
	if n == nil {
		return nopNotifier{}
	}
	return n
}

// notifyAll sends changes; projections call it after releasing their lock.
func notifyAll(n readside.ChangeNotifier, changes []readside.Change) {
	for _, c := range changes {
		n.Notify(c)
	}
}

// listening reports whether anyone may receive changes. A notifier that
// can count its subscribers (readside.Fanout) and has none lets projections
// skip building changes, which matters while rebuilding from $all.
func listening(n readside.ChangeNotifier) bool {
	if c, ok := n.(interface{ Subscribers() int }); ok {
		return c.Subscribers() > 0
	}
	_, nop := n.(nopNotifier)
	return !nop
}
