package engine_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestRacingWritersExactlyOneWinsEachRevision(t *testing.T) {
	e := newEngine(t)
	const writers, revisionsWanted = 32, 20
	var mu sync.Mutex
	winners := map[uint64]int{}
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rev, err := e.StreamRevision("race")
				exp := exact(rev)
				if errors.Is(err, engine.ErrStreamNotFound) {
					exp = noStream
				} else if err != nil {
					t.Error(err)
					return
				}
				if exp.Kind == engine.ExpectExact && rev+1 >= revisionsWanted {
					return
				}
				res, err := e.Append(context.Background(), "race", exp, evs(1))
				var wev *engine.WrongExpectedVersionError
				switch {
				case errors.As(err, &wev):
					continue
				case err != nil:
					t.Error(err)
					return
				}
				mu.Lock()
				winners[res.Revision]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	got := readStream(t, e, "race")
	if len(got) != revisionsWanted {
		t.Fatalf("%d events, want %d", len(got), revisionsWanted)
	}
	for rev := uint64(0); rev < revisionsWanted; rev++ {
		if winners[rev] != 1 {
			t.Fatalf("revision %d won %d times", rev, winners[rev])
		}
	}
}

func TestConcurrentAppendsToManyStreams(t *testing.T) {
	e := newEngine(t)
	const writers, each = 16, 50
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := fmt.Sprintf("w-%d", w)
			for i := 0; i < each; i++ {
				exp := exact(uint64(i - 1))
				if i == 0 {
					exp = noStream
				}
				if _, err := e.Append(context.Background(), stream, exp, evs(1)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// A reader running alongside sees only whole, ordered prefixes.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 50; i++ {
			all, err := e.ReadAll(0, false, engine.Forwards, 0)
			if err != nil {
				t.Error(err)
				return
			}
			for j := 1; j < len(all); j++ {
				if all[j].Position <= all[j-1].Position {
					t.Error("positions not increasing")
					return
				}
			}
		}
	}()
	wg.Wait()
	<-done
	if n := len(readAll(t, e)); n != writers*each {
		t.Fatalf("%d events, want %d", n, writers*each)
	}
}

func TestChangedIsClosedOnCommit(t *testing.T) {
	e := newEngine(t)
	ch := e.Changed()
	select {
	case <-ch:
		t.Fatal("closed before any commit")
	default:
	}
	res := mustAppend(t, e, "s", any_, evs(1)...)
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("not closed after a commit")
	}
	if e.Head() < res.Position {
		t.Fatalf("head %d behind the acknowledged %d", e.Head(), res.Position)
	}
	next := e.Changed()
	select {
	case <-next:
		t.Fatal("the next channel is closed already")
	default:
	}
}

func TestContextCancelledBeforeAppend(t *testing.T) {
	e := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Append(ctx, "s", any_, evs(1)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if _, err := e.StreamRevision("s"); !errors.Is(err, engine.ErrStreamNotFound) {
		t.Fatalf("cancelled append wrote: %v", err)
	}
}
