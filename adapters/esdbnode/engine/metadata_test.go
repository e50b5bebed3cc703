package engine_test

import (
	"slices"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

func meta(json string) engine.ProposedEvent {
	return engine.ProposedEvent{ID: uuid.New(), Type: "$metadata", ContentType: "application/json", Data: []byte(json)}
}

func TestMetadataMaxCountAndTruncateBefore(t *testing.T) {
	e := newEngine(t)
	mustAppend(t, e, "s", any_, evs(10)...)
	mustAppend(t, e, "$$s", any_, meta(`{"$maxCount":3}`))
	if got := revisions(readStream(t, e, "s")); !slices.Equal(got, []uint64{7, 8, 9}) {
		t.Fatalf("$maxCount 3: %v", got)
	}
	back, _ := e.ReadStream("s", 0, true, engine.Backwards, 0)
	if got := revisions(back); !slices.Equal(got, []uint64{9, 8, 7}) {
		t.Fatalf("$maxCount 3 backwards: %v", got)
	}
	mustAppend(t, e, "$$s", any_, meta(`{"$tb":5,"custom":"kept"}`))
	if got := revisions(readStream(t, e, "s")); !slices.Equal(got, []uint64{5, 6, 7, 8, 9}) {
		t.Fatalf("$tb 5 (replacing $maxCount): %v", got)
	}
	// Metastreams keep only their last event.
	m := readStream(t, e, "$$s")
	if len(m) != 1 || m[0].Revision != 1 {
		t.Fatalf("metastream read %v", revisions(m))
	}
	// $all is not filtered.
	if n := len(readAll(t, e)); n != 12 {
		t.Fatalf("$all: %d events", n)
	}
	// Everything hidden: an empty read, not "not found".
	mustAppend(t, e, "$$s", any_, meta(`{"$tb":100}`))
	if got, err := e.ReadStream("s", 0, false, engine.Forwards, 0); err != nil || len(got) != 0 {
		t.Fatalf("all truncated: %d %v", len(got), err)
	}
	// Invalid metadata is empty metadata.
	mustAppend(t, e, "$$s", any_, meta(`not json`))
	if n := len(readStream(t, e, "s")); n != 10 {
		t.Fatalf("invalid metadata hid events: %d", n)
	}
}

func TestMetadataMaxAge(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	clock := &now
	e := open(t, t.TempDir(), engine.Options{Now: func() time.Time { return *clock }})
	mustAppend(t, e, "s", any_, evs(3)...) // at 10:00
	now = now.Add(time.Hour)
	mustAppend(t, e, "s", any_, evs(2)...) // at 11:00
	mustAppend(t, e, "$$s", any_, meta(`{"$maxAge":1800}`))
	if got := revisions(readStream(t, e, "s")); !slices.Equal(got, []uint64{3, 4}) {
		t.Fatalf("$maxAge forwards: %v", got)
	}
	got, err := e.ReadStream("s", 0, false, engine.Forwards, 1)
	if err != nil || !slices.Equal(revisions(got), []uint64{3}) {
		t.Fatalf("$maxAge forwards with count: %v %v", revisions(got), err)
	}
	back, _ := e.ReadStream("s", 0, true, engine.Backwards, 10)
	if !slices.Equal(revisions(back), []uint64{4, 3}) {
		t.Fatalf("$maxAge backwards: %v", revisions(back))
	}
}
