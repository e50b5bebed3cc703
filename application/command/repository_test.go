package command_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/domain"
)

// counted is a minimal aggregate: a stream of Ticked events.
type counted struct {
	domain.Base
	n int
}

type Ticked struct {
	N int `json:"n"`
}

func (Ticked) EventType() string { return "Ticked" }

var errNoCounter = domain.NotFound("counter_not_found", "no counter")

func fromEvents(h []domain.Event) (*counted, error) {
	if len(h) == 0 {
		return nil, errNoCounter
	}
	c := &counted{}
	for _, e := range h {
		c.n = e.(Ticked).N
		c.Loaded()
	}
	return c, nil
}

func (c *counted) tick() {
	c.n++
	c.Track(Ticked{N: c.n})
}

var testTime = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func meta() eventlog.Metadata {
	a, _ := domain.NewActor(domain.RoleSystem, "test")
	return eventlog.Metadata{Actor: a, OccurredAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func newRepo(t *testing.T, s eventlog.Store, opts command.RepositoryOptions) *command.Repository[*counted] {
	t.Helper()
	r, err := command.NewRepository(s, fromEvents, command.CryptoIDs{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestUpdateOfMissingStreamIsTheAggregatesNotFound(t *testing.T) {
	r := newRepo(t, memstore.New(), command.RepositoryOptions{})
	_, _, err := r.Update(context.Background(), "c-1", command.Write{Meta: meta()}, func(c *counted) error { c.tick(); return nil })
	if !errors.Is(err, errNoCounter) {
		t.Fatalf("err = %v, want the aggregate's not-found", err)
	}
}

func TestCreateTwiceIsAConflictOfBothKinds(t *testing.T) {
	ctx := context.Background()
	r := newRepo(t, memstore.New(), command.RepositoryOptions{})
	for i, want := range []bool{false, true} {
		c := &counted{}
		c.tick()
		_, err := r.Create(ctx, "c-1", command.Write{Meta: meta()}, c)
		if got := err != nil; got != want {
			t.Fatalf("create %d: err = %v", i, err)
		}
		if want && !(errors.Is(err, eventlog.ErrConflict) && errors.Is(err, domain.ErrConflict) && domain.CategoryOf(err) == domain.CategoryConflict) {
			t.Fatalf("create twice: %v does not match both conflicts", err)
		}
	}
}

// racingStore lets another writer append once just before our append.
func racingStore(s *memstore.Store, times int) {
	s.BeforeAppend = func(stream string) error {
		if times == 0 {
			return nil
		}
		times--
		evs := s.Events(stream)
		last := evs[len(evs)-1].Event.(Ticked)
		s.BeforeAppend = nil
		_, err := s.Append(context.Background(), stream, eventlog.ExpectRevision(uint64(len(evs)-1)),
			eventlog.NewEvent{ID: uuid.New(), Event: Ticked{N: last.N + 1}, Meta: meta()})
		racingStore(s, times)
		return err
	}
}

func TestUpdateRetriesOnConflictThenGivesUp(t *testing.T) {
	cases := []struct {
		name     string
		retries  int
		races    int
		wantErr  bool
		wantLast int
	}{
		{name: "no race", retries: 0, races: 0, wantLast: 2},
		{name: "race without retries", retries: 0, races: 1, wantErr: true, wantLast: 2},
		{name: "race with a retry", retries: 1, races: 1, wantLast: 3},
		{name: "more races than retries", retries: 2, races: 3, wantErr: true, wantLast: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := memstore.New()
			r := newRepo(t, s, command.RepositoryOptions{Retries: c.retries})
			first := &counted{}
			first.tick()
			if _, err := r.Create(ctx, "c-1", command.Write{Meta: meta()}, first); err != nil {
				t.Fatal(err)
			}
			racingStore(s, c.races)
			_, _, err := r.Update(ctx, "c-1", command.Write{Meta: meta()}, func(a *counted) error { a.tick(); return nil })
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, c.wantErr)
			}
			if c.wantErr && !errors.Is(err, eventlog.ErrConflict) {
				t.Fatalf("err = %v, want a conflict", err)
			}
			evs := s.Events("c-1")
			if got := evs[len(evs)-1].Event.(Ticked).N; got != c.wantLast {
				t.Fatalf("last tick %d, want %d", got, c.wantLast)
			}
			for i, e := range evs {
				if e.Event.(Ticked).N != i+1 {
					t.Fatalf("event %d is tick %d: a decision was made on stale state", i, e.Event.(Ticked).N)
				}
			}
		})
	}
}

func TestChainedRepositoryLinksEveryEvent(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	r := newRepo(t, s, command.RepositoryOptions{Chained: true})
	c := &counted{}
	c.tick()
	c.tick()
	if _, err := r.Create(ctx, "case-1", command.Write{Meta: meta()}, c); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, _, err := r.Update(ctx, "case-1", command.Write{Meta: meta()}, func(a *counted) error { a.tick(); a.tick(); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	evs := s.Events("case-1")
	if len(evs) != 8 {
		t.Fatalf("%d events, want 8", len(evs))
	}
	if n := s.Appends(); n != 4 {
		t.Fatalf("%d appends for 4 decisions: a decision's events must go in one append", n)
	}
	if _, err := eventlog.VerifyChain(evs); err != nil {
		t.Fatalf("chain does not verify: %v", err)
	}
	if evs[0].Meta.PrevHash != "" || evs[1].Meta.PrevHash != eventlog.Hash(evs[0]) {
		t.Fatalf("first links wrong: %q, %q", evs[0].Meta.PrevHash, evs[1].Meta.PrevHash)
	}
}

func TestPolicyWriteIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	r := newRepo(t, s, command.RepositoryOptions{})
	cause := uuid.New()
	w := command.PolicyWrite(meta(), "TickOnSomething", cause)
	for i := 0; i < 2; i++ {
		c := &counted{}
		c.tick()
		if _, err := r.Create(ctx, "c-1", w, c); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if n := len(s.Events("c-1")); n != 1 {
		t.Fatalf("%d events after a retried policy write, want 1", n)
	}
}

func TestNewRepositoryRefusesNil(t *testing.T) {
	if _, err := command.NewRepository[*counted](nil, fromEvents, command.CryptoIDs{}, command.RepositoryOptions{}); err == nil {
		t.Fatal("nil store accepted")
	}
}
