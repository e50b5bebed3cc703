package engine

import "github.com/google/uuid"

// recentIDs remembers the streams, revisions and positions of the most recent
// event IDs, bounded in count (EventStoreDB keeps a bounded cache of
// committed event IDs for the same purpose). Every remembered ID owns exactly
// one ring slot; when the ring is full the oldest slot's ID is forgotten.
// Guarded by Engine.mu.
type recentIDs struct {
	byID map[uuid.UUID]recentEntry
	ring []uuid.UUID
	next int
	full bool
}

type recentEntry struct {
	st  *stream
	rev uint64
	pos Position
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{byID: make(map[uuid.UUID]recentEntry, n), ring: make([]uuid.UUID, n)}
}

func (r *recentIDs) get(id uuid.UUID) (recentEntry, bool) {
	e, ok := r.byID[id]
	return e, ok
}

func (r *recentIDs) put(id uuid.UUID, e recentEntry) {
	if _, known := r.byID[id]; known {
		r.byID[id] = e // newest wins, keeps its existing slot
		return
	}
	if r.full {
		delete(r.byID, r.ring[r.next])
	}
	r.byID[id] = e
	r.ring[r.next] = id
	r.next++
	if r.next == len(r.ring) {
		r.next, r.full = 0, true
	}
}
