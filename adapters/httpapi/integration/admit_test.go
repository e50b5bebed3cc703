package integration_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
)

// Two clerks admit the same visit at once: the expected revision lets one
// win; the other gets 409.
func TestConcurrentAdmitsOneWinsOneConflicts(t *testing.T) {
	s := start(t)
	a, b := s.clerk(t, "clerk-a"), s.clerk(t, "clerk-b")
	for _, tok := range []string{a, b} {
		if st := s.call(t, tok, http.MethodPost, "/offices/"+s.office.String()+"/duty/on", nil, nil); st != http.StatusNoContent {
			t.Fatalf("go on duty: %d", st)
		}
	}
	for round := 0; round < 3; round++ {
		k := s.knock(t)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		problems := make([]httpapi.Problem, 2)
		start := make(chan struct{})
		for i, tok := range []string{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i] = s.call(t, tok, http.MethodPost, "/offices/"+s.office.String()+"/visits/"+k.VisitID+"/admit", nil, &problems[i])
			}()
		}
		close(start)
		wg.Wait()
		slices.Sort(codes)
		if codes[0] != http.StatusOK || codes[1] != http.StatusConflict {
			t.Fatalf("round %d: statuses %v, want one 200 and one 409", round, codes)
		}
		// The winner goes back on duty for the next round.
		for _, tok := range []string{a, b} {
			s.call(t, tok, http.MethodPost, "/offices/"+s.office.String()+"/visits/"+k.VisitID+"/end", map[string]any{"reason": "completed"}, nil)
		}
	}
}

// Knocking on a closed door is a problem that says when the office opens.
func TestKnockOnClosedDoorTellsNextOpening(t *testing.T) {
	s := start(t)
	sunday := monday10.AddDate(0, 0, -1)
	s.Set(sunday)
	var p httpapi.Problem
	st := s.call(t, "", http.MethodPost, "/offices/"+s.office.String()+"/visits", map[string]any{"serviceId": s.service.String(), "displayName": "Ada"}, &p)
	if st != http.StatusConflict || p.Code != "door_closed" {
		t.Fatalf("knock on Sunday: %d %+v, want 409 door_closed", st, p)
	}
	if p.NextOpening == nil || !p.NextOpening.After(sunday) || p.NextOpening.Sub(sunday) > 48*time.Hour {
		t.Fatalf("nextOpening = %v, want the Monday opening after %v", p.NextOpening, sunday)
	}
}
