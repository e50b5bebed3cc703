package visits_test

import (
	"context"
	"testing"

	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// TestLosePresenceAtStartSparesPagesSeenSinceStart: of the visits present
// at start, those whose page has come back to this process (a Heartbeat)
// keep their presence; the others record the loss once.
func TestLosePresenceAtStartSparesPagesSeenSinceStart(t *testing.T) {
	f := setup(t)
	f.deps.Pages = visits.NewPages()
	ctx := context.Background()
	ghost, back := f.knock(t), f.knock(t)
	hb, _ := visits.NewHeartbeatHandler(f.deps)
	if _, err := hb.Handle(ctx, anonymous, visits.Heartbeat{VisitID: back.VisitID, Token: back.Token}); err != nil {
		t.Fatal(err)
	}
	h, err := visits.NewLosePresenceAtStartHandler(f.deps)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Handle(ctx, anonymous, visits.LosePresenceAtStart{VisitIDs: nil}); err == nil {
		t.Error("a citizen could record presence lost at start")
	}
	for range 2 {
		if _, err := h.Handle(ctx, admin, visits.LosePresenceAtStart{VisitIDs: []domain.VisitID{ghost.VisitID, back.VisitID}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := countType(f.store.Types(visit.StreamName(ghost.VisitID)), "VisitPresenceLost"); n != 1 {
		t.Errorf("the ghost visit has %d VisitPresenceLost, want 1", n)
	}
	if n := countType(f.store.Types(visit.StreamName(back.VisitID)), "VisitPresenceLost"); n != 0 {
		t.Errorf("the visit whose page came back has %d VisitPresenceLost, want 0", n)
	}
}

func countType(types []string, want string) int {
	n := 0
	for _, ty := range types {
		if ty == want {
			n++
		}
	}
	return n
}
