package cases_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

type interleaveKey struct{}

// interleavingStore lets a second writer in right after the first append of
// a context marked with interleaveKey returns: the window in which a save
// that wrote a decision in several appends was cut in two.
type interleavingStore struct {
	*memstore.Store
	once  sync.Once
	other func()
}

func (s *interleavingStore) Append(ctx context.Context, stream string, exp eventlog.Expected, events ...eventlog.NewEvent) (eventlog.AppendResult, error) {
	res, err := s.Store.Append(ctx, stream, exp, events...)
	if err == nil && ctx.Value(interleaveKey{}) != nil {
		s.once.Do(func() {
			done := make(chan struct{})
			go func() { defer close(done); s.other() }()
			<-done
		})
	}
	return res, err
}

// TestEndCallRacingAnotherWriterWritesEveryEvent: ending a call with two
// participants records two leaves and the end; a colleague's note lands on
// the case in between. Both writers succeed, the case holds every event,
// the call is over and the hash chain verifies.
func TestEndCallRacingAnotherWriterWritesEveryEvent(t *testing.T) {
	f := setup(t)
	id := f.open(t)
	ctx := context.Background()
	callID := domain.IDFrom[domain.CallID](uuid.New())
	media := command.Context{Actor: mustActor(domain.RoleSystem, "media")}

	start, _ := cases.NewStartCaseCallHandler(f.deps)
	if err := start.Handle(ctx, system, cases.StartCaseCall{CaseID: id, CallID: callID, At: now}, nil); err != nil {
		t.Fatal(err)
	}
	join, _ := cases.NewRecordCallParticipantHandler(f.deps)
	for _, who := range []domain.Actor{mustActor(domain.RoleCitizen, "visit-1"), clerk.Actor} {
		if _, err := join.Handle(ctx, media, cases.RecordCallParticipant{CaseID: id, CallID: callID, Participant: who, Joined: true}); err != nil {
			t.Fatal(err)
		}
	}

	s := &interleavingStore{Store: f.store}
	d := f.deps
	d.Env.Store = s
	notes, _ := cases.NewAddNoteHandler(d)
	var noteErr error
	s.other = func() {
		_, noteErr = notes.Handle(ctx, clerk, cases.AddNote{CaseID: id, Text: "Rückruf vereinbart", Visibility: casefile.Internal})
	}
	end, _ := cases.NewEndCaseCallHandler(d)
	w := command.PolicyWrite(d.Env.Meta(system), "EndCaseCallOnVisitCallEnded", uuid.New())
	if err := end.Handle(context.WithValue(ctx, interleaveKey{}, true), system, cases.EndCaseCall{CaseID: id, CallID: callID, Reason: casefile.CallCompleted, At: now}, &w); err != nil {
		t.Fatalf("end call: %v", err)
	}
	if noteErr != nil {
		t.Fatalf("note: %v", noteErr)
	}

	evs := f.store.Events(casefile.StreamName(id))
	count := map[string]int{}
	for _, e := range evs {
		count[e.Type]++
	}
	if count["CallParticipantLeft"] != 2 || count["CallEnded"] != 1 || count["CaseNoteAdded"] != 1 {
		t.Fatalf("events %v: a decision was written in part", f.store.Types(casefile.StreamName(id)))
	}
	if _, err := eventlog.VerifyChain(evs); err != nil {
		t.Fatalf("chain: %v", err)
	}
	l, err := command.NewRepository(f.store, casefile.FromEvents, command.CryptoIDs{}, command.RepositoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := l.Load(ctx, casefile.StreamName(id))
	if err != nil {
		t.Fatal(err)
	}
	if !cs.Aggregate.ActiveCall().IsZero() {
		t.Fatal("the call is still running on the case")
	}

	// Redelivery of the same policy write changes nothing.
	if err := end.Handle(ctx, system, cases.EndCaseCall{CaseID: id, CallID: callID, Reason: casefile.CallCompleted, At: now}, &w); err != nil {
		t.Fatal(err)
	}
	if n := len(f.store.Events(casefile.StreamName(id))); n != len(evs) {
		t.Fatalf("redelivery wrote %d events", n-len(evs))
	}
}
