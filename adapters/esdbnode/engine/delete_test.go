package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestSoftDeleteThenUndelete(t *testing.T) {
	e := newEngine(t)
	mustAppend(t, e, "s", noStream, evs(3)...) // 0..2
	pos, err := e.Delete(context.Background(), "s", exact(2))
	if err != nil || pos == 0 || pos != e.Head() {
		t.Fatalf("delete: %d %v", pos, err)
	}
	if _, err := e.ReadStream("s", 0, false, engine.Forwards, 10); !errors.Is(err, engine.ErrStreamNotFound) {
		t.Fatalf("read after soft delete: %v", err)
	}
	meta := readStream(t, e, "$$s")
	if len(meta) != 1 || meta[0].Type != "$metadata" || meta[0].Position != pos {
		t.Fatalf("metastream after delete: %+v", meta)
	}
	var m map[string]int64
	if err := json.Unmarshal(meta[0].Data, &m); err != nil || m["$tb"] != 1<<63-1 {
		t.Fatalf("delete metadata %s: %v", meta[0].Data, err)
	}
	// $all still has the events.
	if n := len(readAll(t, e)); n != 4 {
		t.Fatalf("$all has %d events, want 4", n)
	}
	// Appending undeletes; revisions continue.
	res := mustAppend(t, e, "s", noStream, evs(2)...)
	if res.Revision != 4 {
		t.Fatalf("revision after undelete %d, want 4", res.Revision)
	}
	got := readStream(t, e, "s")
	if !slices.Equal(revisions(got), []uint64{3, 4}) {
		t.Fatalf("revisions after undelete %v, want [3 4]", revisions(got))
	}
	meta = readStream(t, e, "$$s")
	if err := json.Unmarshal(meta[0].Data, &m); err != nil || m["$tb"] != 3 {
		t.Fatalf("undelete metadata %s: %v", meta[0].Data, err)
	}
	if meta[0].Revision != 1 {
		t.Fatalf("metastream revision %d, want 1", meta[0].Revision)
	}
}

func TestSoftDeleteExpectations(t *testing.T) {
	e := newEngine(t)
	var wev *engine.WrongExpectedVersionError
	if _, err := e.Delete(context.Background(), "missing", any_); !errors.As(err, &wev) || wev.Current != engine.NoRevision {
		t.Fatalf("delete of a missing stream: %v", err)
	}
	mustAppend(t, e, "s", noStream, evs(2)...)
	if _, err := e.Delete(context.Background(), "s", exact(0)); !errors.As(err, &wev) || wev.Current != 1 {
		t.Fatalf("delete with stale expectation: %v", err)
	}
	if _, err := e.Delete(context.Background(), "s", any_); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Append(context.Background(), "s", exists, evs(1)); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("stream_exists on a soft-deleted stream: %v", err)
	}
	// exact on the last revision before the delete undeletes too.
	if res := mustAppend(t, e, "s", exact(1), evs(1)...); res.Revision != 2 {
		t.Fatalf("revision %d", res.Revision)
	}
}

func TestTombstone(t *testing.T) {
	e := newEngine(t)
	mustAppend(t, e, "s", noStream, evs(2)...)
	var wev *engine.WrongExpectedVersionError
	if _, err := e.Tombstone(context.Background(), "s", exact(0)); !errors.As(err, &wev) {
		t.Fatalf("tombstone with stale expectation: %v", err)
	}
	pos, err := e.Tombstone(context.Background(), "s", exact(1))
	if err != nil || pos != e.Head() {
		t.Fatalf("tombstone: %d %v", pos, err)
	}
	if _, err := e.ReadStream("s", 0, false, engine.Forwards, 10); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("read: %v", err)
	}
	for _, exp := range []engine.Expected{any_, noStream, exists, exact(1)} {
		if _, err := e.Append(context.Background(), "s", exp, evs(1)); !errors.Is(err, engine.ErrStreamDeleted) {
			t.Fatalf("append %+v: %v", exp, err)
		}
	}
	if _, err := e.Delete(context.Background(), "s", any_); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("delete: %v", err)
	}
	if _, err := e.Tombstone(context.Background(), "s", any_); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("tombstone again: %v", err)
	}
	if _, err := e.StreamRevision("s"); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("revision: %v", err)
	}
	all := readAll(t, e)
	last := all[len(all)-1]
	if last.Type != "$streamDeleted" || last.Revision != 1<<63-1 || last.Stream != "s" || last.Position != pos {
		t.Fatalf("tombstone event %+v", last)
	}
	// Its metastream is deleted with it.
	if _, err := e.ReadStream("$$s", 0, false, engine.Forwards, 1); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("read metastream: %v", err)
	}
	if _, err := e.Append(context.Background(), "$$s", any_, []engine.ProposedEvent{meta(`{"$maxCount":1}`)}); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("write metastream: %v", err)
	}
	// A stream that never existed can be tombstoned with no_stream.
	if _, err := e.Tombstone(context.Background(), "never", noStream); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ReadStream("never", 0, false, engine.Forwards, 1); !errors.Is(err, engine.ErrStreamDeleted) {
		t.Fatalf("read never: %v", err)
	}
}

func TestMetadataWriteUndeletesASoftDeletedStream(t *testing.T) {
	e := newEngine(t)
	mustAppend(t, e, "s", noStream, evs(3)...)
	if _, err := e.Delete(context.Background(), "s", any_); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, e, "$$s", any_, meta(`{"$maxCount":10}`))
	// As EventStoreDB: the new metadata is followed by a copy with $tb past
	// the old events, so the stream exists again, empty.
	got, err := e.ReadStream("s", 0, false, engine.Forwards, 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("read after metadata write: %d events, %v", len(got), err)
	}
	m := readStream(t, e, "$$s")
	var parsed map[string]int64
	if err := json.Unmarshal(m[0].Data, &parsed); err != nil || parsed["$tb"] != 3 || parsed["$maxCount"] != 10 {
		t.Fatalf("metadata after undelete: %s %v", m[0].Data, err)
	}
	if res := mustAppend(t, e, "s", exact(2), evs(1)...); res.Revision != 3 {
		t.Fatalf("revision %d", res.Revision)
	}
}

func TestZeroEventAppendUndeletes(t *testing.T) {
	e := newEngine(t)
	mustAppend(t, e, "s", noStream, evs(2)...)
	if _, err := e.Delete(context.Background(), "s", any_); err != nil {
		t.Fatal(err)
	}
	res, err := e.Append(context.Background(), "s", any_, nil)
	if err != nil || res.Revision != 1 || res.Position != e.Head() {
		t.Fatalf("zero-event append to a soft-deleted stream: %+v %v", res, err)
	}
	if got, err := e.ReadStream("s", 0, false, engine.Forwards, 0); err != nil || len(got) != 0 {
		t.Fatalf("read: %d events, %v", len(got), err)
	}
}
