package esdbnode_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// subEvent is one thing a subscription delivered.
type subEvent struct {
	event      *esdb.RecordedEvent
	checkpoint *esdb.Position
	caughtUp   bool
}

// collect receives until done says stop; a dropped subscription fails the test.
func collect(t *testing.T, sub *esdb.Subscription, done func([]subEvent) bool) []subEvent {
	t.Helper()
	var got []subEvent
	for !done(got) {
		e := sub.Recv()
		switch {
		case e.SubscriptionDropped != nil:
			t.Fatalf("subscription dropped after %d messages: %v", len(got), e.SubscriptionDropped.Error)
		case e.EventAppeared != nil:
			got = append(got, subEvent{event: e.EventAppeared.OriginalEvent()})
		case e.CheckPointReached != nil:
			got = append(got, subEvent{checkpoint: e.CheckPointReached})
		case e.CaughtUp != nil:
			got = append(got, subEvent{caughtUp: true})
		}
	}
	return got
}

func countEvents(got []subEvent) int {
	n := 0
	for _, g := range got {
		if g.event != nil {
			n++
		}
	}
	return n
}

// writeConcurrently starts writers appending perWriter events each to
// the streams named by streamOf, and returns a wait function.
func writeConcurrently(t *testing.T, c *esdb.Client, writers, perWriter int, streamOf func(w int) string) func() {
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				if _, err := c.AppendToStream(ctxT(t), streamOf(w), esdb.AppendToStreamOptions{}, jsonEvent("Concurrent", i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	return func() {
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("writer: %v", err)
		}
	}
}

func TestStreamSubscriptionHandOffUnderConcurrentAppends(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("sub")
	appendN(t, c, s, 700) // more than one server page of history
	const writers, perWriter = 4, 100
	wait := writeConcurrently(t, c, writers, perWriter, func(int) string { return s })

	sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	total := 700 + writers*perWriter
	got := collect(t, sub, func(g []subEvent) bool {
		return countEvents(g) == total && slices.ContainsFunc(g, func(e subEvent) bool { return e.caughtUp })
	})
	wait()

	next := uint64(0)
	sawCaughtUp := false
	for _, g := range got {
		if g.caughtUp {
			sawCaughtUp = true
			continue
		}
		if g.event.EventNumber != next {
			t.Fatalf("event %d has revision %d: gap or duplicate", next, g.event.EventNumber)
		}
		next++
	}
	if !sawCaughtUp {
		t.Fatal("no caught_up before the last event")
	}
	// Nothing more must arrive: append one marker and expect exactly it next.
	appendN(t, c, s, 1)
	last := collect(t, sub, func(g []subEvent) bool { return countEvents(g) == 1 })
	if ev := last[len(last)-1].event; ev.EventNumber != uint64(total) {
		t.Fatalf("after hand-off got revision %d, want %d", ev.EventNumber, total)
	}
}

func TestAllSubscriptionHandOffUnderConcurrentAppends(t *testing.T) {
	n := start(t)
	c := n.Client
	prefix := streamName("suball")
	for i := range 3 {
		appendN(t, c, fmt.Sprintf("%s-%d", prefix, i), 250)
	}
	const writers, perWriter = 4, 100
	wait := writeConcurrently(t, c, writers, perWriter, func(w int) string { return fmt.Sprintf("%s-%d", prefix, w%3) })

	sub, err := c.SubscribeToAll(ctxT(t), esdb.SubscribeToAllOptions{From: esdb.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	total := 750 + writers*perWriter
	mine := func(g subEvent) bool { return g.event != nil && strings.HasPrefix(g.event.StreamID, prefix) }
	got := collect(t, sub, func(g []subEvent) bool {
		k := 0
		for _, e := range g {
			if mine(e) {
				k++
			}
		}
		return k == total
	})
	wait()

	var positions []uint64
	var prev uint64
	for _, g := range got {
		if g.event == nil {
			continue
		}
		if g.event.Position.Commit <= prev {
			t.Fatalf("position %d after %d: duplicate or out of order", g.event.Position.Commit, prev)
		}
		prev = g.event.Position.Commit
		if mine(g) {
			positions = append(positions, prev)
		}
	}
	var want []uint64
	for _, ev := range mustReadAll(t, c, esdb.ReadAllOptions{From: esdb.Start{}}, 1<<20) {
		if strings.HasPrefix(ev.OriginalEvent().StreamID, prefix) {
			want = append(want, ev.OriginalEvent().Position.Commit)
		}
	}
	if fmt.Sprint(positions) != fmt.Sprint(want) {
		t.Fatalf("subscription delivered %d events, $all holds %d: gap or duplicate", len(positions), len(want))
	}
}

func TestSubscriptionStartsAreExclusive(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("excl")
	res := appendN(t, c, s, 5)
	t.Run("stream from revision", func(t *testing.T) {
		sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Revision(2)})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		got := collect(t, sub, func(g []subEvent) bool { return len(g) > 0 && g[len(g)-1].caughtUp })
		if countEvents(got) != 2 || got[0].event.EventNumber != 3 || got[1].event.EventNumber != 4 {
			t.Fatalf("got %d events starting %v, want revisions 3 and 4", countEvents(got), got[0].event)
		}
	})
	t.Run("stream from end", func(t *testing.T) {
		sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.End{}})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if got := collect(t, sub, func(g []subEvent) bool { return len(g) == 1 }); !got[0].caughtUp {
			t.Fatalf("first message %+v, want caught_up", got[0])
		}
		appendN(t, c, s, 1)
		if got := collect(t, sub, func(g []subEvent) bool { return len(g) == 1 }); got[0].event == nil || got[0].event.EventNumber != 5 {
			t.Fatalf("live message %+v, want revision 5", got[0])
		}
	})
	t.Run("all from position", func(t *testing.T) {
		p := esdb.Position{Commit: res.CommitPosition, Prepare: res.PreparePosition} // the last of the five
		sub, err := c.SubscribeToAll(ctxT(t), esdb.SubscribeToAllOptions{From: p})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		got := collect(t, sub, func(g []subEvent) bool { return countEvents(g) == 1 })
		if ev := got[len(got)-1].event; ev.Position.Commit <= p.Commit {
			t.Fatalf("first event at %d, want after %d", ev.Position.Commit, p.Commit)
		}
	})
	t.Run("all from end", func(t *testing.T) {
		sub, err := c.SubscribeToAll(ctxT(t), esdb.SubscribeToAllOptions{From: esdb.End{}})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if got := collect(t, sub, func(g []subEvent) bool { return len(g) == 1 }); !got[0].caughtUp {
			t.Fatalf("first message %+v, want caught_up", got[0])
		}
		w := appendN(t, c, s, 1)
		if got := collect(t, sub, func(g []subEvent) bool { return len(g) == 1 }); got[0].event == nil || got[0].event.Position.Commit != w.CommitPosition {
			t.Fatalf("live message %+v, want the event at %d", got[0], w.CommitPosition)
		}
	})
	t.Run("stream that does not exist yet", func(t *testing.T) {
		later := streamName("later")
		sub, err := c.SubscribeToStream(ctxT(t), later, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		collect(t, sub, func(g []subEvent) bool { return len(g) == 1 && g[0].caughtUp })
		appendN(t, c, later, 2)
		got := collect(t, sub, func(g []subEvent) bool { return countEvents(g) == 2 })
		if got[0].event.EventNumber != 0 || got[1].event.EventNumber != 1 {
			t.Fatalf("got %v, want revisions 0 and 1", got)
		}
	})
}

func TestFilteredAllSubscription(t *testing.T) {
	n := start(t)
	c := n.Client
	id := strings.ReplaceAll(streamName("f"), "-", "")
	// Five matching and ten other events, interleaved.
	for i := range 5 {
		if _, err := c.AppendToStream(ctxT(t), "fa"+id+"-x", esdb.AppendToStreamOptions{}, jsonEvent("FaType"+id, i)); err != nil {
			t.Fatal(err)
		}
		appendN(t, c, "fb"+id+"-y", 2)
	}
	cases := []struct {
		name   string
		filter esdb.SubscriptionFilter
	}{
		{"stream prefix", esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{"nothing-", "fa" + id}}},
		{"stream regex", esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Regex: "^fa" + id + "-[x]$"}},
		{"event type prefix", esdb.SubscriptionFilter{Type: esdb.EventFilterType, Prefixes: []string{"FaType" + id}}},
		{"event type regex", esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: "Fa.ype" + id}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub, err := c.SubscribeToAll(ctxT(t), esdb.SubscribeToAllOptions{From: esdb.Start{}, Filter: &tc.filter, MaxSearchWindow: 2, CheckpointInterval: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			got := collect(t, sub, func(g []subEvent) bool { return len(g) > 0 && g[len(g)-1].caughtUp })
			if countEvents(got) != 5 {
				t.Fatalf("got %d events, want 5", countEvents(got))
			}
			checkpoints := 0
			var last uint64
			for _, g := range got {
				if g.event != nil && (g.event.StreamID != "fa"+id+"-x" || g.event.EventType != "FaType"+id) {
					t.Fatalf("unfiltered event %s/%s", g.event.StreamID, g.event.EventType)
				}
				if g.checkpoint != nil {
					checkpoints++
					if g.checkpoint.Commit <= last {
						t.Fatalf("checkpoint %d does not advance from %d", g.checkpoint.Commit, last)
					}
					last = g.checkpoint.Commit
				}
			}
			// 15 events of ours (plus whatever else is in $all) at one
			// checkpoint per 2 examined, plus the one at caught_up.
			if checkpoints < 8 {
				t.Fatalf("%d checkpoints, want at least 8", checkpoints)
			}
			if g := got[len(got)-2]; g.checkpoint == nil {
				t.Fatalf("message before caught_up is %+v, want a checkpoint", g)
			}
			// Live: non-matching events still produce checkpoints.
			appendN(t, c, "fb"+id+"-y", 4)
			live := collect(t, sub, func(g []subEvent) bool { return len(g) == 2 })
			if live[0].checkpoint == nil || live[1].checkpoint == nil || live[1].checkpoint.Commit <= last {
				t.Fatalf("live messages %+v, want two advancing checkpoints", live)
			}
		})
	}
}

func TestSlowSubscriberBlocksNobody(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("slow")
	slow, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close() // never read: its server loop blocks in Send, nothing else may
	fast, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	payload := make([]byte, 8<<10)
	for i := range 400 { // ~3 MiB, far beyond gRPC's flow-control windows
		if _, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{}, esdb.EventData{EventType: "Big", ContentType: esdb.ContentTypeBinary, Data: payload}); err != nil {
			t.Fatalf("append %d while a subscriber stalls: %v", i, err)
		}
	}
	got := collect(t, fast, func(g []subEvent) bool { return countEvents(g) == 400 })
	if countEvents(got) != 400 {
		t.Fatal("fast subscriber missed events")
	}
}

func TestSubscriptionCancellation(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("cancel")
	appendN(t, c, s, 1)
	time.Sleep(10 * time.Millisecond)
	baseline := runtime.NumGoroutine()
	subs := make([]*esdb.Subscription, 10)
	for i := range subs {
		sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
		if err != nil {
			t.Fatal(err)
		}
		collect(t, sub, func(g []subEvent) bool { return len(g) == 2 })
		subs[i] = sub
	}
	if runtime.NumGoroutine() <= baseline {
		t.Fatal("subscriptions run no goroutines: the check below would prove nothing")
	}
	for _, sub := range subs {
		_ = sub.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after closing, %d before:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubscriptionToSoftDeletedStream(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("softsub")
	appendN(t, c, s, 2)
	if _, err := c.DeleteStream(ctxT(t), s, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Any{}}); err != nil {
		t.Fatal(err)
	}
	sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if got := collect(t, sub, func(g []subEvent) bool { return len(g) == 1 }); !got[0].caughtUp {
		t.Fatalf("first message %+v, want caught_up (a soft-deleted stream is empty, not an error)", got[0])
	}
	appendN(t, c, s, 1)
	if got := collect(t, sub, func(g []subEvent) bool { return len(g) == 1 }); got[0].event == nil || got[0].event.EventNumber != 2 {
		t.Fatalf("after undelete got %+v, want revision 2", got[0])
	}
}

func TestSubscriptionToTombstonedStream(t *testing.T) {
	n := start(t)
	c := n.Client
	t.Run("already tombstoned", func(t *testing.T) {
		s := streamName("tomb")
		appendN(t, c, s, 2)
		if _, err := c.TombstoneStream(ctxT(t), s, esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Any{}}); err != nil {
			t.Fatal(err)
		}
		sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
		if err != nil {
			t.Fatalf("subscribe: %v (EventStoreDB confirms first, then drops)", err)
		}
		defer sub.Close()
		assertDroppedDeleted(t, sub)
	})
	t.Run("tombstoned while live", func(t *testing.T) {
		s := streamName("tomb-live")
		appendN(t, c, s, 1)
		sub, err := c.SubscribeToStream(ctxT(t), s, esdb.SubscribeToStreamOptions{From: esdb.Start{}})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		collect(t, sub, func(g []subEvent) bool { return len(g) == 2 })
		if _, err := c.TombstoneStream(ctxT(t), s, esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Any{}}); err != nil {
			t.Fatal(err)
		}
		assertDroppedDeleted(t, sub)
	})
}

func assertDroppedDeleted(t *testing.T, sub *esdb.Subscription) {
	t.Helper()
	for {
		e := sub.Recv()
		if e.EventAppeared != nil || e.CaughtUp != nil || e.CheckPointReached != nil {
			continue
		}
		if e.SubscriptionDropped == nil {
			t.Fatalf("unexpected message %+v", e)
		}
		st := status.Convert(e.SubscriptionDropped.Error)
		if st.Code() != codes.FailedPrecondition || !strings.Contains(st.Message(), "is deleted") {
			t.Fatalf("dropped with %v, want FailedPrecondition stream deleted", e.SubscriptionDropped.Error)
		}
		return
	}
}
