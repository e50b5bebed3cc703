package engine_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Stream reads go through a block reader that serves near records from one
// read: records of every size (within a block, crossing its ends, larger
// than a block), near and far apart, across segment boundaries, must read
// back exactly as written, in both directions and from any start.
func TestReadStreamThroughBlocks(t *testing.T) {
	e := open(t, t.TempDir(), engine.Options{SegmentSize: 256 << 10})
	r := rand.New(rand.NewPCG(7, 9))
	sizes := []int{0, 10, 300, 3 << 10, 5 << 10, 20 << 10, 70 << 10}
	var written []engine.ProposedEvent
	for i := 0; i < 150; i++ {
		n := 1 + r.IntN(3)
		batch := make([]engine.ProposedEvent, n)
		for j := range batch {
			data := make([]byte, sizes[r.IntN(len(sizes))])
			for k := range data {
				data[k] = byte(r.Uint32())
			}
			batch[j] = engine.ProposedEvent{ID: uuid.New(), Type: "T", ContentType: "application/octet-stream", Data: data, Metadata: data[:len(data)/3]}
		}
		if _, err := e.Append(context.Background(), "s", engine.Expected{}, batch); err != nil {
			t.Fatal(err)
		}
		written = append(written, batch...)
		for range r.IntN(4) { // noise between runs: none, a little, a lot
			noise := make([]engine.ProposedEvent, 1+r.IntN(20))
			for j := range noise {
				noise[j] = engine.ProposedEvent{ID: uuid.New(), Type: "N", ContentType: "application/json", Data: make([]byte, r.IntN(4<<10))}
			}
			if _, err := e.Append(context.Background(), "noise", engine.Expected{}, noise); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(got []engine.RecordedEvent, revs []int) {
		t.Helper()
		if len(got) != len(revs) {
			t.Fatalf("read %d events, want %d", len(got), len(revs))
		}
		for i, rev := range revs {
			w, g := written[rev], got[i]
			if g.Revision != uint64(rev) || g.ID != w.ID || !bytes.Equal(g.Data, w.Data) || !bytes.Equal(g.Metadata, w.Metadata) || g.Stream != "s" {
				t.Fatalf("event %d: got revision %d id %v (%d data bytes), want revision %d id %v (%d)", i, g.Revision, g.ID, len(g.Data), rev, w.ID, len(w.Data))
			}
		}
	}
	all := make([]int, len(written))
	for i := range all {
		all[i] = i
	}
	got, err := e.ReadStream("s", 0, false, engine.Forwards, 0)
	if err != nil {
		t.Fatal(err)
	}
	check(got, all)
	for range 50 {
		from, max := r.IntN(len(written)), 1+r.IntN(100)
		got, err := e.ReadStream("s", uint64(from), false, engine.Forwards, uint64(max))
		if err != nil {
			t.Fatal(err)
		}
		check(got, all[from:min(len(all), from+max)])
		got, err = e.ReadStream("s", uint64(from), false, engine.Backwards, uint64(max))
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for rev := from; rev >= 0 && len(want) < max; rev-- {
			want = append(want, rev)
		}
		check(got, want)
	}
}
