package appintegration_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// Concurrent writers to one case never break its hash chain: each append
// expects the revision whose hash it carries, so a writer that lost the race
// reloads, re-hashes and tries again, or reports a conflict.
func TestConcurrentNotesKeepTheChain(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	clerk := newClerk()
	h.onDuty(t, clerk, buergerdienste)
	a, err := h.app.Commands.AdmitVisit.Handle(ctx, clerk, visits.AdmitVisit{VisitID: h.knock(t).VisitID})
	if err != nil {
		t.Fatal(err)
	}
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = h.app.Commands.AddNote.Handle(ctx, newClerk(), cases.AddNote{CaseID: a.CaseID, Text: fmt.Sprintf("Notiz %d", i), Visibility: casefile.Internal})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, eventlog.ErrConflict) && errors.Is(err, domain.ErrConflict):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	evs := h.load(t, casefile.StreamName(a.CaseID))
	if ok == 0 || count(evs, "CaseNoteAdded") != ok {
		t.Fatalf("%d notes succeeded, %d recorded", ok, count(evs, "CaseNoteAdded"))
	}
	if _, err := eventlog.VerifyChain(evs); err != nil {
		t.Fatalf("chain broken under concurrency: %v", err)
	}
	t.Logf("%d of %d concurrent notes written, the rest got a conflict", ok, n)
}
