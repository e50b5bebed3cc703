package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

// modelStream is what a stream should look like from outside.
type modelStream struct {
	events     []uuid.UUID // all events ever written, by revision
	visibleLo  int         // first revision a read shows
	soft       bool        // soft-deleted
	tombstoned bool
}

func (m *modelStream) current() uint64 {
	if len(m.events) == 0 {
		return engine.NoRevision
	}
	return uint64(len(m.events) - 1)
}

// TestAgainstModel runs random appends, soft deletes, tombstones and
// restarts against a small model of EventStoreDB's rules and compares
// every outcome and, at the end of each step, every stream's contents.
func TestAgainstModel(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runModel(t, seed) })
	}
}

func runModel(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed))
	dir := t.TempDir()
	opts := engine.Options{SegmentSize: 64 << 10}
	e, err := engine.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { e.Close() }()
	streams := []string{"a", "b", "c", "d"}
	model := map[string]*modelStream{}
	for _, s := range streams {
		model[s] = &modelStream{}
	}
	ctx := context.Background()
	for step := 0; step < 300; step++ {
		name := streams[rng.IntN(len(streams))]
		m := model[name]
		switch op := rng.IntN(20); {
		case op < 14: // append
			cur := m.current()
			var exp engine.Expected
			ok := !m.tombstoned
			switch rng.IntN(4) {
			case 0:
				exp = any_
			case 1:
				exp = noStream
				ok = ok && (cur == engine.NoRevision || m.soft)
			case 2:
				exp = exists
				ok = ok && cur != engine.NoRevision && !m.soft
			case 3:
				r := cur
				if rng.IntN(3) == 0 {
					r = uint64(rng.IntN(6))
				}
				if r == engine.NoRevision {
					r = 0
				}
				exp = exact(r)
				ok = ok && cur != engine.NoRevision && r == cur
			}
			batch := evs(1 + rng.IntN(3))
			res, err := e.Append(ctx, name, exp, batch)
			if ok != (err == nil) {
				t.Fatalf("step %d: append %s %+v (model current %d soft %v tomb %v): err %v", step, name, exp, int64(cur), m.soft, m.tombstoned, err)
			}
			if !ok {
				if m.tombstoned && !errors.Is(err, engine.ErrStreamDeleted) {
					t.Fatalf("step %d: want stream deleted, got %v", step, err)
				}
				continue
			}
			if m.soft {
				m.visibleLo, m.soft = len(m.events), false
			}
			for _, ev := range batch {
				m.events = append(m.events, ev.ID)
			}
			if res.Revision != m.current() {
				t.Fatalf("step %d: revision %d, want %d", step, res.Revision, m.current())
			}
		case op < 16: // soft delete
			_, err := e.Delete(ctx, name, any_)
			ok := !m.tombstoned && len(m.events) > 0
			if ok != (err == nil) {
				t.Fatalf("step %d: delete %s: err %v", step, name, err)
			}
			if ok {
				m.soft = true
			}
		case op < 17: // tombstone
			_, err := e.Tombstone(ctx, name, any_)
			if m.tombstoned != (err != nil) {
				t.Fatalf("step %d: tombstone %s: err %v", step, name, err)
			}
			m.tombstoned = true
		default: // restart
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			if e, err = engine.Open(dir, opts); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range streams {
			checkModel(t, step, e, s, model[s])
		}
	}
}

func checkModel(t *testing.T, step int, e *engine.Engine, name string, m *modelStream) {
	t.Helper()
	got, err := e.ReadStream(name, 0, false, engine.Forwards, 0)
	switch {
	case m.tombstoned:
		if !errors.Is(err, engine.ErrStreamDeleted) {
			t.Fatalf("step %d: %s read: %v, want deleted", step, name, err)
		}
	case len(m.events) == 0 || m.soft:
		if !errors.Is(err, engine.ErrStreamNotFound) {
			t.Fatalf("step %d: %s read: %v, want not found", step, name, err)
		}
	default:
		if err != nil {
			t.Fatalf("step %d: %s read: %v", step, name, err)
		}
		if !slices.Equal(ids(got), m.events[m.visibleLo:]) {
			t.Fatalf("step %d: %s has %d events %v, want %d from %d", step, name, len(got), revisions(got), len(m.events)-m.visibleLo, m.visibleLo)
		}
	}
}
