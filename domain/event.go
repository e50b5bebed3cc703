package domain

// Event is a fact recorded in a stream. Implementations are plain value
// structs with JSON tags; EventType returns a stable, past-tense name that is
// unique across the whole system (e.g. "VisitKnocked").
type Event interface {
	EventType() string
}

// Base is embedded in every aggregate. It keeps the number of events loaded
// from the store and the events recorded since then.
type Base struct {
	version int64
	changes []Event
}

// Version is the number of events loaded from history (0 for a new
// aggregate). Append Changes with expected revision Version()-1.
func (b *Base) Version() int64 { return b.version }

// Changes returns the events recorded since the aggregate was loaded or
// created, oldest first.
func (b *Base) Changes() []Event {
	out := make([]Event, len(b.changes))
	copy(out, b.changes)
	return out
}

// Loaded counts one event read from history. Aggregates call it in FromEvents.
func (b *Base) Loaded() { b.version++ }

// Track adds a newly recorded event to Changes. Aggregates call it after
// applying the event.
func (b *Base) Track(e Event) { b.changes = append(b.changes, e) }
