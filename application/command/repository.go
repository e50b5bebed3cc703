package command

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Aggregate is what the repository needs of a domain aggregate; every
// aggregate embedding domain.Base has it.
type Aggregate interface {
	Version() int64
	Changes() []domain.Event
}

// FromEvents rehydrates an aggregate from its history (the domain's
// FromEvents). Called with an empty history it returns the aggregate's
// not-found error, or an empty aggregate for streams without a creation
// event (slot ledgers, reference counters).
type FromEvents[A Aggregate] func(history []domain.Event) (A, error)

// Write says how new events are written: their metadata, and optionally how
// their IDs are derived (policies derive them from the causing event so a
// retry is recognised; nil means random IDs).
type Write struct {
	Meta    eventlog.Metadata
	EventID func(i int) uuid.UUID
}

// PolicyWrite returns a Write whose event IDs are derived from the causing
// event and the policy name: the i-th event of a retry gets the same ID.
func PolicyWrite(meta eventlog.Metadata, policy string, cause uuid.UUID) Write {
	return Write{Meta: meta, EventID: func(i int) uuid.UUID {
		return DeriveID("policy-event", policy, cause.String(), fmt.Sprint(i))
	}}
}

// Saved is where a save landed.
type Saved struct {
	Appended int    // number of events written (0: the decision changed nothing)
	Revision uint64 // revision of the stream's last event
	Position eventlog.Position
}

// Loaded is an aggregate with the events it was built from.
type Loaded[A Aggregate] struct {
	Aggregate A
	Events    []eventlog.RecordedEvent
}

// Repository loads and saves the aggregates of one stream category.
type Repository[A Aggregate] struct {
	store   eventlog.Store
	from    FromEvents[A]
	ids     IDs
	chained bool
	retries int
}

// RepositoryOptions configures a Repository.
type RepositoryOptions struct {
	// Chained writes each event's PrevHash (case streams): the store links
	// a decision's events in the one append that writes them.
	Chained bool
	// Retries is how often Update reloads and decides again after losing a
	// race (default 0: a conflict is returned to the caller).
	Retries int
}

// NewRepository refuses nil dependencies.
func NewRepository[A Aggregate](store eventlog.Store, from FromEvents[A], ids IDs, opts RepositoryOptions) (*Repository[A], error) {
	if store == nil || from == nil || ids == nil {
		return nil, errors.New("command: repository needs a store, FromEvents and IDs")
	}
	if opts.Retries < 0 {
		return nil, errors.New("command: negative retries")
	}
	return &Repository[A]{store: store, from: from, ids: ids, chained: opts.Chained, retries: opts.Retries}, nil
}

// Load reads stream and rehydrates its aggregate.
func (r *Repository[A]) Load(ctx context.Context, stream string) (Loaded[A], error) {
	evs, err := r.store.Load(ctx, stream)
	if err != nil && !errors.Is(err, eventlog.ErrStreamNotFound) {
		return Loaded[A]{}, err
	}
	history := make([]domain.Event, len(evs))
	for i, e := range evs {
		history[i] = e.Event
	}
	a, err := r.from(history)
	if err != nil {
		return Loaded[A]{}, err
	}
	return Loaded[A]{Aggregate: a, Events: evs}, nil
}

// Create appends the changes of a new aggregate to a stream that must not
// exist. A stream that exists already is a *ConflictError; callers that make
// creation idempotent (knock) load and compare then.
func (r *Repository[A]) Create(ctx context.Context, stream string, w Write, a A) (Saved, error) {
	return r.save(ctx, stream, w, Loaded[A]{Aggregate: a})
}

// Update loads the aggregate, runs decide on it and appends what it
// recorded with the expected revision it read, all in one append (chained
// streams included), so a decision is stored whole or not at all. A Write
// with derived event IDs whose first event is already in the stream was
// applied before: Update
// then changes nothing (policies stay idempotent however late the retry). When another writer was
// first it reloads and decides again, up to the configured retries; then it
// returns a *ConflictError. The aggregate returned is the one decided on.
func (r *Repository[A]) Update(ctx context.Context, stream string, w Write, decide func(A) error) (A, Saved, error) {
	for attempt := 0; ; attempt++ {
		l, err := r.Load(ctx, stream)
		if err != nil {
			var zero A
			return zero, Saved{}, err
		}
		if w.AppliedIn(l.Events) {
			return l.Aggregate, Saved{Revision: l.Events[len(l.Events)-1].Revision}, nil
		}
		if err := decide(l.Aggregate); err != nil {
			return l.Aggregate, Saved{}, err
		}
		saved, err := r.save(ctx, stream, w, l)
		if err == nil || !errors.Is(err, eventlog.ErrConflict) || attempt >= r.retries {
			return l.Aggregate, saved, err
		}
	}
}

// AppliedIn reports whether a write with derived event IDs already happened:
// the stream's events hold its first event. A redelivered event must not be decided
// again on a later state (a call that started, ended and is reported as
// started again would start a second time). Looking at the first event is
// enough because save writes all of a decision's events in one append with
// the expected revision, chained or not: the store takes them all or none,
// so a stream holding the first holds the rest.
func (w Write) AppliedIn(events []eventlog.RecordedEvent) bool {
	if w.EventID == nil {
		return false
	}
	first := w.EventID(0)
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].ID == first {
			return true
		}
	}
	return false
}

// save appends the aggregate's changes after the loaded events.
func (r *Repository[A]) save(ctx context.Context, stream string, w Write, l Loaded[A]) (Saved, error) {
	changes := l.Aggregate.Changes()
	version := l.Aggregate.Version()
	saved := Saved{}
	if n := len(l.Events); n > 0 {
		saved.Revision = l.Events[n-1].Revision
	}
	if len(changes) == 0 {
		return saved, nil
	}
	newEvents := make([]eventlog.NewEvent, len(changes))
	for i, c := range changes {
		id := r.ids.NewUUID()
		if w.EventID != nil {
			id = w.EventID(i)
		}
		newEvents[i] = eventlog.NewEvent{ID: id, Event: c, Meta: w.Meta}
	}
	expected := eventlog.ExpectVersion(version)
	if r.chained {
		// The store links the events itself, from the hash of the last
		// event read, in this one append: it alone knows the bytes it
		// stores, and one append keeps a decision whole.
		head := ""
		if n := len(l.Events); n > 0 {
			head = eventlog.Hash(l.Events[n-1])
		}
		expected = expected.ChainedFrom(head)
	}
	res, err := r.store.Append(ctx, stream, expected, newEvents...)
	if err != nil {
		return Saved{}, asConflict(stream, err)
	}
	return Saved{Appended: len(newEvents), Revision: res.NextRevision, Position: res.Position}, nil
}

// RequestWrite returns a Write whose event IDs are derived from a client's
// request ID, the command's name and its subject (the aggregate), so a
// request retried after its answer was lost writes the same IDs and Update
// changes nothing the second time. The request ID itself is not stored: it
// may work as a credential, and the derived IDs are enough. A zero request
// gives the ordinary write with random IDs.
func RequestWrite(meta eventlog.Metadata, cmd string, subject uuid.UUID, request domain.RequestID) Write {
	w := Write{Meta: meta}
	if request.IsZero() {
		return w
	}
	w.EventID = func(i int) uuid.UUID {
		return DeriveID("request-event", cmd, subject.String(), request.String(), fmt.Sprint(i))
	}
	return w
}

// RequestDerivedID is an identifier a command assigns (a note's, a document
// request's) derived like RequestWrite's event IDs, so a retried request
// answers with the ID the first one created; random when request is zero.
func RequestDerivedID(ids IDs, kind string, subject uuid.UUID, request domain.RequestID) uuid.UUID {
	if request.IsZero() {
		return ids.NewUUID()
	}
	return DeriveID("request-id", kind, subject.String(), request.String())
}
