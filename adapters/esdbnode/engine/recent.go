package engine

import "github.com/google/uuid"

// recentIDs remembers the streams, revisions and positions of the most recent
// event IDs, bounded in count (EventStoreDB keeps a bounded cache of
// committed event IDs for the same purpose). It holds two generations of
// half the capacity each; when the young one is full the old one is dropped
// whole. So the last capacity/2 to capacity IDs are remembered, and memory
// stays flat: maps never see deletes, which would let Go maps grow under
// churn. Guarded by Engine.mu.
type recentIDs struct {
	young, old map[uuid.UUID]recentEntry
	half       int
}

type recentEntry struct {
	st  *stream
	rev uint64
	pos Position
}

func newRecentIDs(capacity int) *recentIDs {
	half := max(capacity/2, 1)
	return &recentIDs{young: map[uuid.UUID]recentEntry{}, half: half}
}

func (r *recentIDs) get(id uuid.UUID) (recentEntry, bool) {
	if e, ok := r.young[id]; ok {
		return e, true
	}
	e, ok := r.old[id]
	return e, ok
}

func (r *recentIDs) put(id uuid.UUID, e recentEntry) {
	if _, ok := r.young[id]; !ok && len(r.young) >= r.half {
		r.old, r.young = r.young, make(map[uuid.UUID]recentEntry, r.half)
	}
	r.young[id] = e
}
