package visits_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// A clerk is taken on the office when admitting, before any policy runs, so
// a double click admits one visit only, and ending the visit frees the
// clerk at once.
func TestAClerkAdmitsOneVisitAtATime(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k1, k2 := f.knock(t), f.knock(t)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, k := range []visits.KnockResult{k1, k2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.admit(clerkA, k.VisitID)
		}()
	}
	wg.Wait()
	var admitted, other visits.KnockResult
	switch {
	case errs[0] == nil && errors.Is(errs[1], office.ErrClerkInCall):
		admitted, other = k1, k2
	case errs[1] == nil && errors.Is(errs[0], office.ErrClerkInCall):
		admitted, other = k2, k1
	default:
		t.Fatalf("double admission by one clerk: %v", errs)
	}
	if n := len(f.store.Events(casefile.CounterStreamName("DO", 2026))); n != 1 {
		t.Fatalf("%d references spent on one admission", n)
	}
	end, _ := visits.NewEndVisitHandler(f.deps)
	if _, err := end.Handle(ctx, clerkA, visits.EndVisit{VisitID: admitted.VisitID, Reason: visit.EndCompleted}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admit(clerkA, other.VisitID); err != nil {
		t.Fatalf("clerk not free after ending the visit: %v", err)
	}
	back, _ := visits.NewReturnToWaitingRoomHandler(f.deps)
	if _, err := back.Handle(ctx, clerkA, visits.ReturnToWaitingRoom{VisitID: other.VisitID}); err != nil {
		t.Fatal(err)
	}
	k3 := f.knock(t)
	if _, err := f.admit(clerkA, k3.VisitID); err != nil {
		t.Fatalf("clerk not free after sending the citizen back: %v", err)
	}
	types := f.store.Types(office.StreamName(officeID))
	started, ended := 0, 0
	for _, ty := range types {
		switch ty {
		case "ClerkCallStarted":
			started++
		case "ClerkCallEnded":
			ended++
		}
	}
	// Three admissions took the clerk (the refused one never did), two ended.
	if started != 3 || ended != 2 {
		t.Fatalf("office events %v: %d started, %d ended", types, started, ended)
	}
}
