package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

func open(t testing.TB, dir string, opts engine.Options) *engine.Engine {
	t.Helper()
	e, err := engine.Open(dir, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

func newEngine(t testing.TB) *engine.Engine {
	t.Helper()
	return open(t, t.TempDir(), engine.Options{})
}

func ev(typ string) engine.ProposedEvent {
	return engine.ProposedEvent{ID: uuid.New(), Type: typ, ContentType: "application/json", Data: []byte(`{"t":"` + typ + `"}`)}
}

func evs(n int) []engine.ProposedEvent {
	out := make([]engine.ProposedEvent, n)
	for i := range out {
		out[i] = ev(fmt.Sprintf("E%d", i))
	}
	return out
}

var (
	any_     = engine.Expected{Kind: engine.ExpectAny}
	noStream = engine.Expected{Kind: engine.ExpectNoStream}
	exists   = engine.Expected{Kind: engine.ExpectStreamExists}
)

func exact(r uint64) engine.Expected { return engine.Expected{Kind: engine.ExpectExact, Revision: r} }

func mustAppend(t testing.TB, e *engine.Engine, stream string, exp engine.Expected, events ...engine.ProposedEvent) engine.AppendResult {
	t.Helper()
	res, err := e.Append(context.Background(), stream, exp, events)
	if err != nil {
		t.Fatalf("append to %s: %v", stream, err)
	}
	return res
}

func readStream(t testing.TB, e *engine.Engine, stream string) []engine.RecordedEvent {
	t.Helper()
	out, err := e.ReadStream(stream, 0, false, engine.Forwards, 0)
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return out
}

func readAll(t testing.TB, e *engine.Engine) []engine.RecordedEvent {
	t.Helper()
	out, err := e.ReadAll(0, false, engine.Forwards, 0)
	if err != nil {
		t.Fatalf("read all: %v", err)
	}
	return out
}

func ids(events []engine.RecordedEvent) []uuid.UUID {
	out := make([]uuid.UUID, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func revisions(events []engine.RecordedEvent) []uint64 {
	out := make([]uint64, len(events))
	for i, e := range events {
		out[i] = e.Revision
	}
	return out
}
