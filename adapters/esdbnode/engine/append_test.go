package engine_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestAppendAssignsRevisionsPositionsAndCreated(t *testing.T) {
	e := newEngine(t)
	before := time.Now().UnixNano() / 100
	r1 := mustAppend(t, e, "visit-1", noStream, evs(3)...)
	r2 := mustAppend(t, e, "visit-1", exact(2), evs(2)...)
	after := time.Now().UnixNano() / 100
	if r1.Revision != 2 || r2.Revision != 4 {
		t.Fatalf("revisions %d %d, want 2 4", r1.Revision, r2.Revision)
	}
	if r1.Position == 0 || r2.Position <= r1.Position {
		t.Fatalf("positions %d %d not increasing from > 0", r1.Position, r2.Position)
	}
	got := readStream(t, e, "visit-1")
	if !slices.Equal(revisions(got), []uint64{0, 1, 2, 3, 4}) {
		t.Fatalf("revisions %v", revisions(got))
	}
	if got[2].Position != r1.Position || got[4].Position != r2.Position {
		t.Fatalf("result positions %d %d do not match the last events %d %d", r1.Position, r2.Position, got[2].Position, got[4].Position)
	}
	for i, ev := range got {
		if ev.Created < before || ev.Created > after {
			t.Fatalf("event %d created %d outside [%d, %d]", i, ev.Created, before, after)
		}
		if i > 0 && ev.Position <= got[i-1].Position {
			t.Fatalf("positions not increasing at %d", i)
		}
		if ev.Stream != "visit-1" || ev.ContentType != "application/json" || len(ev.Data) == 0 {
			t.Fatalf("event %d not as written: %+v", i, ev)
		}
	}
	if e.Head() != r2.Position {
		t.Fatalf("head %d, want %d", e.Head(), r2.Position)
	}
}

func TestAppendExpectations(t *testing.T) {
	e := newEngine(t)
	mustAppend(t, e, "s", noStream, evs(2)...) // revisions 0, 1
	cases := []struct {
		name    string
		stream  string
		exp     engine.Expected
		current uint64 // NoRevision-1 marks success
	}{
		{"no_stream on existing", "s", noStream, 1},
		{"exact behind", "s", exact(0), 1},
		{"exact ahead", "s", exact(5), 1},
		{"exact on missing", "missing", exact(0), engine.NoRevision},
		{"stream_exists on missing", "missing", exists, engine.NoRevision},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.Append(context.Background(), c.stream, c.exp, evs(1))
			var wev *engine.WrongExpectedVersionError
			if !errors.As(err, &wev) {
				t.Fatalf("err %v, want wrong expected version", err)
			}
			if wev.Current != c.current || wev.Stream != c.stream {
				t.Fatalf("current %d stream %q, want %d %q", wev.Current, wev.Stream, c.current, c.stream)
			}
		})
	}
	for _, exp := range []engine.Expected{exact(1), exists, any_} {
		res := mustAppend(t, e, "s", exp, evs(1)...)
		if want := revisionsAfter(t, e, "s"); res.Revision != want {
			t.Fatalf("%+v: revision %d, want %d", exp, res.Revision, want)
		}
	}
	if res := mustAppend(t, e, "fresh", any_, evs(1)...); res.Revision != 0 {
		t.Fatalf("any on a new stream: revision %d", res.Revision)
	}
}

func revisionsAfter(t *testing.T, e *engine.Engine, stream string) uint64 {
	t.Helper()
	r, err := e.StreamRevision(stream)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAppendValidation(t *testing.T) {
	e := newEngine(t)
	noType := ev("")
	noCT := ev("T")
	noCT.ContentType = ""
	big := ev("Big")
	big.Data = make([]byte, 1<<20)
	big.Metadata = []byte("x") // data + metadata > 1 MiB
	exactlyMax := ev("Max")
	exactlyMax.Data = make([]byte, 1<<20-10)
	exactlyMax.Metadata = make([]byte, 10)
	cases := []struct {
		name   string
		stream string
		events []engine.ProposedEvent
		want   error
	}{
		{"empty stream name", "", evs(1), engine.ErrInvalid},
		{"missing type", "s", []engine.ProposedEvent{noType}, engine.ErrInvalid},
		{"missing content type", "s", []engine.ProposedEvent{noCT}, engine.ErrInvalid},
		{"too large", "s", []engine.ProposedEvent{big}, engine.ErrTooLarge},
		{"too large in sum", "s", []engine.ProposedEvent{exactlyMax, ev("One")}, engine.ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := e.Append(context.Background(), c.stream, any_, c.events); !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
		})
	}
	if _, err := e.Append(context.Background(), "s", any_, []engine.ProposedEvent{exactlyMax}); err != nil {
		t.Fatalf("append of exactly 1 MiB: %v", err)
	}
	if got := readStream(t, e, "s"); len(got) != 1 || len(got[0].Data) != 1<<20-10 {
		t.Fatalf("read back %d events", len(got))
	}
}

func TestAppendZeroEvents(t *testing.T) {
	e := newEngine(t)
	res, err := e.Append(context.Background(), "s", noStream, nil)
	if err != nil || res.Revision != engine.NoRevision || res.Position != 0 {
		t.Fatalf("zero events on a missing stream: %+v %v", res, err)
	}
	if _, err := e.StreamRevision("s"); !errors.Is(err, engine.ErrStreamNotFound) {
		t.Fatalf("zero events created the stream: %v", err)
	}
	w := mustAppend(t, e, "s", noStream, evs(2)...)
	head := e.Head()
	res, err = e.Append(context.Background(), "s", exact(1), nil)
	if err != nil || res.Revision != 1 || res.Position != w.Position {
		t.Fatalf("zero events at exact current: %+v %v", res, err)
	}
	var wev *engine.WrongExpectedVersionError
	if _, err := e.Append(context.Background(), "s", exact(0), nil); !errors.As(err, &wev) || wev.Current != 1 {
		t.Fatalf("zero events with stale expectation: %v", err)
	}
	if e.Head() != head {
		t.Fatalf("zero-event appends wrote something")
	}
}
