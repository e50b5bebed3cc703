package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestIdempotentReappendExact(t *testing.T) {
	for _, first := range []engine.Expected{noStream, exact(1)} {
		e := newEngine(t)
		if first.Kind == engine.ExpectExact {
			mustAppend(t, e, "s", noStream, evs(2)...)
		}
		batch := evs(3)
		orig := mustAppend(t, e, "s", first, batch...)
		mustAppend(t, e, "s", any_, evs(2)...) // the stream moves on
		head := e.Head()

		again, err := e.Append(context.Background(), "s", first, batch)
		if err != nil || again != orig {
			t.Fatalf("%+v: re-append gave %+v %v, want the original %+v", first, again, err, orig)
		}
		if e.Head() != head {
			t.Fatalf("%+v: re-append wrote", first)
		}
		// A prefix of the original batch is idempotent too.
		prefix, err := e.Append(context.Background(), "s", first, batch[:1])
		if err != nil || prefix.Revision != orig.Revision-2 {
			t.Fatalf("%+v: prefix re-append %+v %v", first, prefix, err)
		}
		// Partial match: wrong expected version.
		partial := []engine.ProposedEvent{batch[0], ev("New")}
		var wev *engine.WrongExpectedVersionError
		if _, err := e.Append(context.Background(), "s", first, partial); !errors.As(err, &wev) {
			t.Fatalf("%+v: partial match: %v", first, err)
		}
	}
}

func TestIdempotentReappendAny(t *testing.T) {
	e := newEngine(t)
	batch := evs(2)
	orig := mustAppend(t, e, "s", any_, batch...)
	mustAppend(t, e, "s", any_, evs(1)...)
	again, err := e.Append(context.Background(), "s", any_, batch)
	if err != nil || again != orig {
		t.Fatalf("re-append with any: %+v %v, want %+v", again, err, orig)
	}
	if n := len(readStream(t, e, "s")); n != 3 {
		t.Fatalf("%d events, want 3", n)
	}
	var wev *engine.WrongExpectedVersionError
	if _, err := e.Append(context.Background(), "s", any_, []engine.ProposedEvent{batch[0], ev("New")}); !errors.As(err, &wev) {
		t.Fatalf("first ID known, second not: %v", err)
	}
	// The same ID in another stream is a new event there.
	if _, err := e.Append(context.Background(), "t", any_, batch[:1]); err != nil {
		t.Fatalf("known ID to another stream: %v", err)
	}
}

func TestIdempotencyForgetsBeyondRecentIDs(t *testing.T) {
	e := open(t, t.TempDir(), engine.Options{RecentIDs: 4})
	first := ev("First")
	mustAppend(t, e, "s", any_, first)
	for i := 0; i < 4; i++ {
		mustAppend(t, e, "s", any_, ev("More"))
	}
	// With any, EventStoreDB only remembers recent IDs: an old ID is written again.
	res := mustAppend(t, e, "s", any_, first)
	if res.Revision != 5 {
		t.Fatalf("old ID with any: revision %d, want 5", res.Revision)
	}
	// With an exact expectation the check reads the stream itself.
	again, err := e.Append(context.Background(), "s", exact(engine.NoRevision), []engine.ProposedEvent{first})
	var wev *engine.WrongExpectedVersionError
	if !errors.As(err, &wev) {
		t.Fatalf("exact(NoRevision) is not a valid expectation, want WEV: %+v %v", again, err)
	}
	again, err = e.Append(context.Background(), "s", noStream, []engine.ProposedEvent{first})
	if err != nil || again.Revision != 0 {
		t.Fatalf("no_stream re-append of revision 0 after eviction: %+v %v", again, err)
	}
}

func TestIdempotentRetryWhileInFlight(t *testing.T) {
	e := newEngine(t)
	batch := evs(2)
	const n = 16
	results := make(chan engine.AppendResult, n)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			r, err := e.Append(context.Background(), "s", noStream, batch)
			results <- r
			errs <- err
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent identical appends must all succeed: %v", err)
		}
		if r := <-results; r.Revision != 1 {
			t.Fatalf("revision %d, want 1", r.Revision)
		}
	}
	if got := readStream(t, e, "s"); len(got) != 2 || got[0].ID != batch[0].ID {
		t.Fatalf("%d events written, want 2", len(got))
	}

}
