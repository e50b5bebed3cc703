package engine_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestReadStreamDirectionsAndBounds(t *testing.T) {
	e := newEngine(t)
	for i := 0; i < 5; i++ { // interleave another stream so positions are not dense
		mustAppend(t, e, "s", any_, evs(20)...)
		mustAppend(t, e, "other", any_, evs(3)...)
	}
	// 100 events in s, revisions 0..99.
	cases := []struct {
		name    string
		from    uint64
		fromEnd bool
		dir     engine.Direction
		max     uint64
		first   uint64
		n       int
	}{
		{"forwards from start", 0, false, engine.Forwards, 10, 0, 10},
		{"forwards from revision", 37, false, engine.Forwards, 5, 37, 5},
		{"forwards to the end", 95, false, engine.Forwards, 10, 95, 5},
		{"forwards unlimited", 0, false, engine.Forwards, 0, 0, 100},
		{"forwards past the end", 100, false, engine.Forwards, 10, 0, 0},
		{"forwards from end", 0, true, engine.Forwards, 10, 0, 0},
		{"backwards from end", 0, true, engine.Backwards, 3, 99, 3},
		{"backwards from revision", 64, false, engine.Backwards, 10, 64, 10},
		{"backwards to the start", 2, false, engine.Backwards, 10, 2, 3},
		{"backwards beyond the end", 500, false, engine.Backwards, 2, 99, 2},
		{"backwards unlimited", 0, true, engine.Backwards, 0, 99, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.ReadStream("s", c.from, c.fromEnd, c.dir, c.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.n {
				t.Fatalf("%d events, want %d", len(got), c.n)
			}
			for i, ev := range got {
				want := c.first + uint64(i)
				if c.dir == engine.Backwards {
					want = c.first - uint64(i)
				}
				if ev.Revision != want || ev.Stream != "s" {
					t.Fatalf("event %d: %s@%d, want s@%d", i, ev.Stream, ev.Revision, want)
				}
			}
		})
	}
}

func TestReadStreamFindsEveryRevision(t *testing.T) {
	e := newEngine(t)
	var want []engine.AppendResult
	for i := 0; i < 300; i++ {
		want = append(want, mustAppend(t, e, "long", any_, ev("E")))
		if i%7 == 0 {
			mustAppend(t, e, "noise", any_, ev("N"))
		}
	}
	for rev := uint64(0); rev < 300; rev++ {
		got, err := e.ReadStream("long", rev, false, engine.Forwards, 1)
		if err != nil || len(got) != 1 || got[0].Revision != rev || got[0].Position != want[rev].Position {
			t.Fatalf("revision %d: %v %+v", rev, err, got)
		}
	}
}

func TestReadMissingStream(t *testing.T) {
	e := newEngine(t)
	if _, err := e.ReadStream("nope", 0, false, engine.Forwards, 10); !errors.Is(err, engine.ErrStreamNotFound) {
		t.Fatalf("err %v", err)
	}
	if _, err := e.ReadStream("", 0, false, engine.Forwards, 10); !errors.Is(err, engine.ErrInvalid) {
		t.Fatalf("err %v", err)
	}
}

func TestReadAll(t *testing.T) {
	e := newEngine(t)
	var written []engine.RecordedEvent
	for i := 0; i < 10; i++ {
		mustAppend(t, e, "a", any_, evs(2)...)
		mustAppend(t, e, "b", any_, evs(1)...)
	}
	written = readAll(t, e)
	if len(written) != 30 {
		t.Fatalf("%d events in $all, want 30", len(written))
	}
	for i := 1; i < len(written); i++ {
		if written[i].Position <= written[i-1].Position {
			t.Fatalf("positions not increasing at %d", i)
		}
	}
	if written[len(written)-1].Position != e.Head() {
		t.Fatalf("last position %d, head %d", written[len(written)-1].Position, e.Head())
	}
	p := written[10].Position
	fw, err := e.ReadAll(p, false, engine.Forwards, 3)
	if err != nil || !slices.Equal(ids(fw), ids(written[10:13])) {
		t.Fatalf("forwards from a position must include it: %v", err)
	}
	bw, err := e.ReadAll(p, false, engine.Backwards, 3)
	if err != nil || !slices.Equal(ids(bw), ids([]engine.RecordedEvent{written[9], written[8], written[7]})) {
		t.Fatalf("backwards from a position must return what lies strictly before: %v %v", err, revisions(bw))
	}
	end, err := e.ReadAll(0, true, engine.Backwards, 2)
	if err != nil || !slices.Equal(ids(end), ids([]engine.RecordedEvent{written[29], written[28]})) {
		t.Fatalf("backwards from end: %v", err)
	}
	if none, err := e.ReadAll(0, true, engine.Forwards, 2); err != nil || len(none) != 0 {
		t.Fatalf("forwards from end: %d events, %v", len(none), err)
	}
	// A position inside a record: forwards starts at the next record,
	// backwards includes the record the position falls into.
	mid := written[10].Position + 3
	fw, err = e.ReadAll(mid, false, engine.Forwards, 1)
	if err != nil || len(fw) != 1 || fw[0].ID != written[11].ID {
		t.Fatalf("forwards from inside a record: %v", err)
	}
	bw, err = e.ReadAll(mid, false, engine.Backwards, 1)
	if err != nil || len(bw) != 1 || bw[0].ID != written[10].ID {
		t.Fatalf("backwards from inside a record: %v", err)
	}
}

func TestReadAllOnEmptyStore(t *testing.T) {
	e := newEngine(t)
	for _, dir := range []engine.Direction{engine.Forwards, engine.Backwards} {
		got, err := e.ReadAll(0, dir == engine.Backwards, dir, 10)
		if err != nil || len(got) != 0 {
			t.Fatalf("dir %d: %d events, %v", dir, len(got), err)
		}
	}
	if e.Head() != 0 {
		t.Fatalf("head %d on empty store", e.Head())
	}
}

func TestReadAllAcrossSegments(t *testing.T) {
	dir := t.TempDir()
	e := open(t, dir, engine.Options{SegmentSize: 64 << 10})
	big := ev("Big")
	big.Data = make([]byte, 20<<10)
	var want []engine.AppendResult
	for i := 0; i < 20; i++ {
		b := big
		b.ID = ev("x").ID
		want = append(want, mustAppend(t, e, "s", any_, b))
	}
	got := readAll(t, e)
	if len(got) != 20 {
		t.Fatalf("%d events", len(got))
	}
	for i := range got {
		if got[i].Position != want[i].Position {
			t.Fatalf("event %d at %d, want %d", i, got[i].Position, want[i].Position)
		}
	}
	back, err := e.ReadAll(0, true, engine.Backwards, 0)
	if err != nil || len(back) != 20 || back[0].Position != want[19].Position || back[19].Position != want[0].Position {
		t.Fatalf("backwards across segments: %d events %v", len(back), err)
	}
	tooBig := ev("TooBig")
	tooBig.Data = make([]byte, 70<<10)
	if _, err := e.Append(t.Context(), "s", any_, []engine.ProposedEvent{tooBig}); !errors.Is(err, engine.ErrTooLarge) {
		t.Fatalf("append larger than a segment: %v", err)
	}
}
