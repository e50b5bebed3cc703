package cases

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// MaxAllocationAttempts bounds how often an allocation reloads the counter
// after losing a race to another app instance.
const MaxAllocationAttempts = 50

// ReferenceAllocator hands out case references (DO-2026-000123) without
// gaps or duplicates. It appends CaseReferenceAllocated to the counter
// stream of the prefix and year with the expected revision it knows; a
// conflict (another instance was first) reloads the stream and tries again.
//
// Allocation is idempotent per case ID: the counter remembers which case got
// which number, so two clerks admitting the same visit (same derived case
// ID) get the same reference and no number is lost.
//
// One allocator per process: it serialises its own callers per year and
// keeps the counter in memory, so only the first allocation of a year and
// conflicts with other instances read the stream.
type ReferenceAllocator struct {
	store  eventlog.Store
	prefix string
	mu     sync.Mutex
	years  map[int]*counterState
}

type counterState struct {
	mu      sync.Mutex
	loaded  bool
	last    casefile.CaseReferenceAllocated // zero before the first allocation
	version int64
	byCase  map[domain.CaseID]casefile.Reference
	cases   []domain.CaseID // index number-1
}

// NewReferenceAllocator validates the prefix (2-3 capital letters).
func NewReferenceAllocator(store eventlog.Store, prefix string) (*ReferenceAllocator, error) {
	if store == nil {
		return nil, errors.New("cases: allocator needs a store")
	}
	if _, err := casefile.NewReference(prefix, 2026, 1); err != nil {
		return nil, err
	}
	return &ReferenceAllocator{store: store, prefix: prefix, years: map[int]*counterState{}}, nil
}

// Prefix returns the city prefix of the references.
func (a *ReferenceAllocator) Prefix() string { return a.prefix }

func (a *ReferenceAllocator) state(year int) *counterState {
	a.mu.Lock()
	defer a.mu.Unlock()
	st, ok := a.years[year]
	if !ok {
		st = &counterState{byCase: map[domain.CaseID]casefile.Reference{}}
		a.years[year] = st
	}
	return st
}

// reload reads the whole counter stream of year.
func (a *ReferenceAllocator) reload(ctx context.Context, st *counterState, year int) error {
	st.loaded = false // until the reload completes
	evs, err := a.store.Load(ctx, casefile.CounterStreamName(a.prefix, year))
	if err != nil && !errors.Is(err, eventlog.ErrStreamNotFound) {
		return err
	}
	history := make([]domain.Event, len(evs))
	st.byCase = make(map[domain.CaseID]casefile.Reference, len(evs))
	st.cases = st.cases[:0]
	for i, e := range evs {
		history[i] = e.Event
		ra, ok := e.Event.(casefile.CaseReferenceAllocated)
		if !ok {
			return fmt.Errorf("cases: counter %d holds %s", year, e.Type)
		}
		st.byCase[ra.CaseID] = ra.Reference
		st.cases = append(st.cases, ra.CaseID)
		st.last = ra
	}
	c, err := casefile.CounterFromEvents(a.prefix, year, history)
	if err != nil {
		return err
	}
	st.version, st.loaded = c.Version(), true
	return nil
}

// Allocate returns the reference of caseID in year, allocating the next
// number if the case has none yet. w carries the metadata (its EventID is
// ignored: the allocation's event ID is derived from the case ID).
func (a *ReferenceAllocator) Allocate(ctx context.Context, w command.Write, caseID domain.CaseID, year int) (casefile.Reference, error) {
	st := a.state(year)
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.loaded {
		if err := a.reload(ctx, st, year); err != nil {
			return casefile.Reference{}, err
		}
	}
	stream := casefile.CounterStreamName(a.prefix, year)
	for attempt := 0; attempt < MaxAllocationAttempts; attempt++ {
		if ref, ok := st.byCase[caseID]; ok {
			return ref, nil
		}
		counter, err := a.counter(st, year)
		if err != nil {
			return casefile.Reference{}, err
		}
		ref, err := counter.Allocate(caseID, w.Meta.OccurredAt)
		if err != nil {
			return casefile.Reference{}, err
		}
		ev := counter.Changes()[0].(casefile.CaseReferenceAllocated)
		id := command.DeriveID("case-reference", stream, caseID.String())
		_, err = a.store.Append(ctx, stream, eventlog.ExpectVersion(counter.Version()), eventlog.NewEvent{ID: id, Event: ev, Meta: w.Meta})
		if err == nil {
			st.byCase[caseID] = ref
			st.cases = append(st.cases, caseID)
			st.last, st.version = ev, st.version+1
			return ref, nil
		}
		if !errors.Is(err, eventlog.ErrConflict) {
			return casefile.Reference{}, err
		}
		if err := a.reload(ctx, st, year); err != nil {
			return casefile.Reference{}, err
		}
	}
	return casefile.Reference{}, &command.ConflictError{Stream: stream, Err: fmt.Errorf("%w: gave up after %d attempts", eventlog.ErrConflict, MaxAllocationAttempts)}
}

func (a *ReferenceAllocator) counter(st *counterState, year int) (*casefile.ReferenceCounter, error) {
	if st.version == 0 {
		return casefile.NewReferenceCounter(a.prefix, year)
	}
	return casefile.CounterFromLast(a.prefix, year, st.last)
}

// Resolve returns the case that a reference was allocated to, or
// casefile.ErrNotFound.
func (a *ReferenceAllocator) Resolve(ctx context.Context, ref casefile.Reference) (domain.CaseID, error) {
	if ref.Prefix() != a.prefix {
		return domain.CaseID{}, domain.Wrapf(casefile.ErrNotFound, "%s", ref)
	}
	st := a.state(ref.Year())
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.loaded || ref.Number() > len(st.cases) { // another instance may have allocated it
		if err := a.reload(ctx, st, ref.Year()); err != nil {
			return domain.CaseID{}, err
		}
	}
	if ref.Number() > len(st.cases) {
		return domain.CaseID{}, domain.Wrapf(casefile.ErrNotFound, "%s", ref)
	}
	return st.cases[ref.Number()-1], nil
}
