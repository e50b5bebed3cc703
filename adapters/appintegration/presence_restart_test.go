package appintegration_test

import (
	"context"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// TestVisitPresentAtARestartExpiresAfterTheGracePeriod: a visit whose
// waiting page was open when the process went away (killed, or stopped)
// still reads "present" in the events. A process starting on the same
// store records the page as lost at its start, so the grace period runs
// and the expiry timer ends the visit; before the grace period it waits.
func TestVisitPresentAtARestartExpiresAfterTheGracePeriod(t *testing.T) {
	h := start(t)
	h.onDuty(t, newClerk(), buergerdienste)
	k := h.knock(t)
	stream := visit.StreamName(k.VisitID)
	if n := count(h.load(t, stream), "VisitPresenceLost"); n != 0 {
		t.Fatalf("presence lost before the restart: %v", types(h.load(t, stream)))
	}

	// The restarted process: the same store, its own loops.
	restarted := h.Another(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = restarted.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	waitFor(t, "the page recorded as lost at the restart", func() bool {
		return count(h.load(t, stream), "VisitPresenceLost") == 1
	})
	if n := count(h.load(t, stream), "VisitExpired"); n != 0 {
		t.Fatalf("expired before the grace period: %v", types(h.load(t, stream)))
	}
	h.Advance(visit.DefaultGracePeriod + time.Second)
	waitFor(t, "the visit expired after the grace period", func() bool {
		return count(h.load(t, stream), "VisitExpired") == 1
	})
	if v, ok := restarted.Models.Queues.Visit(k.VisitID, h.Now()); ok && v.Status == visit.StatusWaiting {
		t.Errorf("the restarted process still shows the visit waiting: %+v", v)
	}
}

// waitFor polls cond until it holds (the loops run on their own ticks).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
