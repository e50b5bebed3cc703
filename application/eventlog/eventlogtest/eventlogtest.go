// Package eventlogtest is the acceptance suite every eventlog.Store must
// pass: the event store adapter over the embedded node (and a real KurrentDB
// when one is configured) and the in-memory store of the unit tests run the
// same cases, so a fake cannot drift from the real thing. It is for tests
// only.
package eventlogtest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// ThingHappened and ThingRenamed are the suite's events: a store under test
// must know both types (Events lists them for a registry).
type ThingHappened struct {
	N    int    `json:"n"`
	Note string `json:"note"`
}

// EventType implements domain.Event.
func (ThingHappened) EventType() string { return "TestThingHappened" }

// ThingRenamed is the suite's second event type.
type ThingRenamed struct {
	Name string `json:"name"`
}

// EventType implements domain.Event.
func (ThingRenamed) EventType() string { return "TestThingRenamed" }

// Events are the event types a store under test must be able to decode.
func Events() []domain.Event { return []domain.Event{ThingHappened{}, ThingRenamed{}} }

// Case is one acceptance case.
type Case struct {
	Name string
	Run  func(t *testing.T, s eventlog.Store)
}

// Cases are the acceptance cases every store passes.
var Cases = []Case{
	{"append and load round trip", testRoundTrip},
	{"wrong expected revision is a conflict", testConflict},
	{"missing stream is not found", testNotFound},
	{"retry with the same event IDs is idempotent", testIdempotentRetry},
	{"racing appenders: exactly one wins", testRacingAppenders},
	{"hash chain survives the store", testHashChain},
	{"chained multi-event append verifies", testChainedAppend},
	{"subscribe to $all by category from a checkpoint", testSubscribe},
}

// Run runs every case against the store s, as subtests.
func Run(t *testing.T, s eventlog.Store) {
	for _, tc := range Cases {
		t.Run(tc.Name, func(t *testing.T) { tc.Run(t, s) })
	}
}

var testActor = func() domain.Actor {
	a, err := domain.NewActor(domain.RoleClerk, "clerk-1")
	if err != nil {
		panic(err)
	}
	return a
}()

// NewEvent is an event with fresh IDs and complete metadata.
func NewEvent(e domain.Event, prevHash string) eventlog.NewEvent {
	return eventlog.NewEvent{ID: uuid.New(), Event: e, Meta: eventlog.Metadata{
		CorrelationID: uuid.New(), CausationID: uuid.New(), Actor: testActor,
		OccurredAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC), PrevHash: prevHash,
	}}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func stream(prefix string) string { return prefix + "-" + uuid.NewString() }

func testRoundTrip(t *testing.T, s eventlog.Store) {
	st := stream("thing")
	a, b := NewEvent(ThingHappened{N: 1, Note: "first"}, ""), NewEvent(ThingRenamed{Name: "zwei"}, "")
	res, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), a, b)
	if err != nil {
		t.Fatal(err)
	}
	if res.NextRevision != 1 || res.Position.Commit == 0 {
		t.Fatalf("append result %+v: want next revision 1 and a position", res)
	}
	got, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("loaded %d events, want 2", len(got))
	}
	for i, want := range []eventlog.NewEvent{a, b} {
		g := got[i]
		if g.ID != want.ID || g.Type != want.Event.EventType() || g.Event != want.Event || g.Revision != uint64(i) || g.Stream != st {
			t.Errorf("event %d = %+v, want %+v at revision %d", i, g, want, i)
		}
		if g.Meta.CorrelationID != want.Meta.CorrelationID || g.Meta.CausationID != want.Meta.CausationID ||
			g.Meta.Actor != want.Meta.Actor || !g.Meta.OccurredAt.Equal(want.Meta.OccurredAt) || g.Meta.SchemaVersion != 1 {
			t.Errorf("event %d metadata = %+v, want %+v", i, g.Meta, want.Meta)
		}
		if g.RecordedAt.IsZero() || g.Position.Commit == 0 {
			t.Errorf("event %d lacks recorded time or position: %+v", i, g)
		}
	}
	if got[1].Position.Commit <= got[0].Position.Commit {
		t.Errorf("positions not increasing: %v then %v", got[0].Position, got[1].Position)
	}
	if got[1].Position != res.Position {
		t.Errorf("append result position %v, last event position %v", res.Position, got[1].Position)
	}
}

func testConflict(t *testing.T, s eventlog.Store) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), NewEvent(ThingHappened{N: 1}, "")); err != nil {
		t.Fatal(err)
	}
	for name, exp := range map[string]eventlog.Expected{
		"no stream":      eventlog.ExpectNoStream(),
		"stale revision": eventlog.ExpectRevision(5),
		"version 0":      eventlog.ExpectVersion(0),
	} {
		_, err := s.Append(ctx(t), st, exp, NewEvent(ThingHappened{N: 2}, ""))
		if !errors.Is(err, eventlog.ErrConflict) {
			t.Errorf("%s: error %v, want ErrConflict", name, err)
		}
		var op *eventlog.OpError
		if !errors.As(err, &op) || op.Stream != st || op.Op != "append" {
			t.Errorf("%s: error %v does not carry the operation and stream", name, err)
		}
	}
	if _, err := s.Append(ctx(t), st, eventlog.ExpectVersion(1), NewEvent(ThingHappened{N: 2}, "")); err != nil {
		t.Errorf("append at the right version: %v", err)
	}
}

func testNotFound(t *testing.T, s eventlog.Store) {
	_, err := s.Load(ctx(t), stream("nothing"))
	if !errors.Is(err, eventlog.ErrStreamNotFound) {
		t.Fatalf("error %v, want ErrStreamNotFound", err)
	}
}

func testIdempotentRetry(t *testing.T, s eventlog.Store) {
	st := stream("thing")
	e := NewEvent(ThingHappened{N: 7}, "")
	first, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), e)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), e)
	if err != nil {
		t.Fatalf("retry with the same event ID: %v", err)
	}
	if again != first {
		t.Errorf("retry result %+v, want the original %+v", again, first)
	}
	got, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("stream holds %d events after a retry, want 1", len(got))
	}
}

func testRacingAppenders(t *testing.T, s eventlog.Store) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), NewEvent(ThingHappened{N: 0}, "")); err != nil {
		t.Fatal(err)
	}
	const writers = 16
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.Append(ctx(t), st, eventlog.ExpectRevision(0), NewEvent(ThingHappened{N: i}, ""))
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, eventlog.ErrConflict):
				conflicts.Add(1)
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != writers-1 {
		t.Fatalf("%d wins and %d conflicts, want 1 and %d", wins.Load(), conflicts.Load(), writers-1)
	}
}

func testHashChain(t *testing.T, s eventlog.Store) {
	st := stream("case")
	prev := ""
	for i := 0; i < 5; i++ {
		loaded, err := s.Load(ctx(t), st)
		exp := eventlog.ExpectNoStream()
		if err == nil {
			prev = eventlog.Hash(loaded[len(loaded)-1])
			exp = eventlog.ExpectRevision(loaded[len(loaded)-1].Revision)
		} else if !errors.Is(err, eventlog.ErrStreamNotFound) {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx(t), st, exp, NewEvent(ThingHappened{N: i}, prev)); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eventlog.VerifyChain(all); err != nil {
		t.Fatalf("chain written through the store does not verify: %v", err)
	}
}

// testChainedAppend: the store links a chained append itself, from the
// hash of the stream's head, over the bytes it stores; one append per
// decision, several decisions in a row.
func testChainedAppend(t *testing.T, s eventlog.Store) {
	st := stream("case")
	three := func(n int) []eventlog.NewEvent {
		// A stale PrevHash in the metadata is overwritten by the chain.
		return []eventlog.NewEvent{NewEvent(ThingHappened{N: n}, "stale"), NewEvent(ThingRenamed{Name: "zwei"}, ""), NewEvent(ThingHappened{N: n + 2, Note: "drei"}, "")}
	}
	res, err := s.Append(ctx(t), st, eventlog.ExpectNoStream().ChainedFrom(""), three(1)...)
	if err != nil {
		t.Fatal(err)
	}
	if res.NextRevision != 2 {
		t.Fatalf("next revision %d, want 2", res.NextRevision)
	}
	loaded, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eventlog.VerifyChain(loaded); err != nil || len(loaded) != 3 {
		t.Fatalf("%d events, chain: %v", len(loaded), err)
	}
	head := eventlog.Hash(loaded[2])
	if _, err := s.Append(ctx(t), st, eventlog.ExpectRevision(2).ChainedFrom(head), three(4)...); err != nil {
		t.Fatal(err)
	}
	// A stale head is a conflict and writes nothing.
	if _, err := s.Append(ctx(t), st, eventlog.ExpectRevision(2).ChainedFrom(head), three(7)...); !errors.Is(err, eventlog.ErrConflict) {
		t.Fatalf("stale chained append: %v, want conflict", err)
	}
	if _, err := s.Append(ctx(t), st, eventlog.ExpectAny().ChainedFrom(head), three(7)...); !errors.Is(err, eventlog.ErrChainWithoutRevision) {
		t.Fatalf("chained append without a revision: %v", err)
	}
	all, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Fatalf("%d events, want 6", len(all))
	}
	if _, err := eventlog.VerifyChain(all); err != nil {
		t.Fatalf("chained appends do not verify: %v", err)
	}
}

func testSubscribe(t *testing.T, s eventlog.Store) {
	prefix := "sub" + uuid.NewString()[:8]
	mine, other := stream(prefix), stream("other"+prefix)
	var checkpoint *eventlog.Position
	for i := 0; i < 3; i++ {
		res, err := s.Append(ctx(t), mine, eventlog.ExpectAny(), NewEvent(ThingHappened{N: i}, ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx(t), other, eventlog.ExpectAny(), NewEvent(ThingHappened{N: 100 + i}, "")); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			p := res.Position
			checkpoint = &p
		}
	}
	subCtx, cancel := context.WithCancel(ctx(t))
	defer cancel()
	got := make(chan eventlog.RecordedEvent, 16)
	caughtUp := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.SubscribeAll(subCtx, checkpoint, eventlog.Subscription{
			StreamPrefixes: []string{prefix},
			Handle: func(_ context.Context, e eventlog.RecordedEvent) error {
				got <- e
				return nil
			},
			OnCaughtUp: func(context.Context) {
				select {
				case caughtUp <- struct{}{}:
				default:
				}
			},
		})
	}()
	want := []int{1, 2} // after the checkpoint, exclusive
	for _, n := range want {
		select {
		case e := <-got:
			if e.Stream != mine || e.Event.(ThingHappened).N != n {
				t.Fatalf("got %s %+v, want event %d of %s", e.Stream, e.Event, n, mine)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("event %d not delivered", n)
		}
	}
	select {
	case <-caughtUp:
	case <-time.After(10 * time.Second):
		t.Fatal("never caught up")
	}
	// A live event arrives after catching up.
	if _, err := s.Append(ctx(t), mine, eventlog.ExpectAny(), NewEvent(ThingHappened{N: 3}, "")); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-got:
		if e.Event.(ThingHappened).N != 3 {
			t.Fatalf("live event %+v, want N=3", e.Event)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("live event not delivered")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("subscription ended with %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("subscription did not end after cancel")
	}
}
