package esdbnode_test

import (
	"slices"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

// TestPagingWithTinyPages runs reads and subscriptions with a server page
// of 3 events, so every resume point between pages is exercised.
func TestPagingWithTinyPages(t *testing.T) {
	n := esdbnodetest.StartWith(t, esdbnode.Config{Server: esdbnode.Options{ReadPageSize: 3}})
	c := n.Client
	s := streamName("tiny")
	var want []uint64
	for range 4 {
		appendN(t, c, s, 5)
	}
	for _, ev := range mustReadAll(t, c, esdb.ReadAllOptions{From: esdb.Start{}}, 1000) {
		want = append(want, ev.OriginalEvent().Position.Commit)
	}
	if len(want) != 20 {
		t.Fatalf("$all holds %d events, want 20", len(want))
	}
	positions := func(evs []*esdb.ResolvedEvent) []uint64 {
		out := make([]uint64, len(evs))
		for i, ev := range evs {
			out[i] = ev.OriginalEvent().Position.Commit
		}
		return out
	}
	t.Run("$all forwards with a count across pages", func(t *testing.T) {
		if got := positions(mustReadAll(t, c, esdb.ReadAllOptions{From: esdb.Start{}}, 7)); !slices.Equal(got, want[:7]) {
			t.Fatalf("positions %v, want %v", got, want[:7])
		}
	})
	t.Run("$all forwards from a position", func(t *testing.T) {
		from := esdb.Position{Commit: want[5], Prepare: want[5]}
		if got := positions(mustReadAll(t, c, esdb.ReadAllOptions{From: from}, 100)); !slices.Equal(got, want[5:]) {
			t.Fatalf("positions %v, want %v", got, want[5:])
		}
	})
	t.Run("$all backwards", func(t *testing.T) {
		rev := slices.Clone(want)
		slices.Reverse(rev)
		if got := positions(mustReadAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 100)); !slices.Equal(got, rev) {
			t.Fatalf("positions %v, want %v", got, rev)
		}
	})
	t.Run("stream both ways", func(t *testing.T) {
		if got := revisions(mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Revision(4)}, 10)); !slices.Equal(got, []uint64{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}) {
			t.Fatalf("revisions %v", got)
		}
		if got := revisions(mustReadStream(t, c, s, esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Revision(6)}, 100)); !slices.Equal(got, []uint64{6, 5, 4, 3, 2, 1, 0}) {
			t.Fatalf("revisions %v", got)
		}
	})
	t.Run("subscriptions", func(t *testing.T) {
		all, err := c.SubscribeToAll(ctxT(t), esdb.SubscribeToAllOptions{From: esdb.Position{Commit: want[1], Prepare: want[1]}})
		if err != nil {
			t.Fatal(err)
		}
		defer all.Close()
		var got []uint64
		for _, e := range collect(t, all, func(g []subEvent) bool { return countEvents(g) == 18 }) {
			if e.event != nil {
				got = append(got, e.event.Position.Commit)
			}
		}
		if !slices.Equal(got, want[2:]) {
			t.Fatalf("$all subscription positions %v, want %v", got, want[2:])
		}
		st, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Revision(10)})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var revs []uint64
		for _, e := range collect(t, st, func(g []subEvent) bool { return countEvents(g) == 9 }) {
			if e.event != nil {
				revs = append(revs, e.event.EventNumber)
			}
		}
		if !slices.Equal(revs, []uint64{11, 12, 13, 14, 15, 16, 17, 18, 19}) {
			t.Fatalf("stream subscription revisions %v", revs)
		}
	})
}
