package casefile

import (
	"fmt"
	"strconv"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// ReferenceCounter numbers the cases of one prefix and year. Its stream
// holds one CaseReferenceAllocated per case, so the next number is
// Version()+1 and the application appends with expected revision
// Version()-1: two concurrent allocations cannot get the same number.
// Because the number equals the version, the application need not read the
// whole stream: CounterFromLast builds the counter from its last event.
type ReferenceCounter struct {
	domain.Base
	prefix string
	year   int
	last   int
}

// CounterStreamName returns "casereference-<prefix>-<year>", e.g.
// "casereference-DO-2026".
func CounterStreamName(prefix string, year int) string {
	return "casereference-" + prefix + "-" + strconv.Itoa(year)
}

// NewReferenceCounter returns the counter of a fresh year.
func NewReferenceCounter(prefix string, year int) (*ReferenceCounter, error) {
	if _, err := NewReference(prefix, year, 1); err != nil {
		return nil, err
	}
	return &ReferenceCounter{prefix: prefix, year: year}, nil
}

// CounterFromEvents rehydrates the counter from its whole stream.
func CounterFromEvents(prefix string, year int, history []domain.Event) (*ReferenceCounter, error) {
	c, err := NewReferenceCounter(prefix, year)
	if err != nil {
		return nil, err
	}
	for _, e := range history {
		if err := c.apply(e); err != nil {
			return nil, err
		}
		c.Loaded()
	}
	return c, nil
}

// CounterFromLast builds the counter from the stream's last event only.
func CounterFromLast(prefix string, year int, last CaseReferenceAllocated) (*ReferenceCounter, error) {
	c, err := NewReferenceCounter(prefix, year)
	if err != nil {
		return nil, err
	}
	if err := c.apply(last); err != nil {
		return nil, err
	}
	for range last.Number {
		c.Loaded()
	}
	return c, nil
}

func (c *ReferenceCounter) apply(e domain.Event) error {
	a, ok := e.(CaseReferenceAllocated)
	if !ok {
		return domain.Wrapf(domain.ErrUnknownEvent, "reference counter: %s", e.EventType())
	}
	if a.Reference.Prefix() != c.prefix || a.Reference.Year() != c.year || a.Number != a.Reference.Number() {
		return domain.Wrapf(ErrInvalidReference, "%s does not belong to counter %s-%d", a.Reference, c.prefix, c.year)
	}
	c.last = a.Number
	return nil
}

// Allocate takes the next reference for a case.
func (c *ReferenceCounter) Allocate(caseID domain.CaseID, at time.Time) (Reference, error) {
	if err := domain.RequireID("case id", caseID); err != nil {
		return Reference{}, err
	}
	if c.last >= MaxReferenceNumber {
		return Reference{}, ErrReferencesExhausted
	}
	ref, err := NewReference(c.prefix, c.year, c.last+1)
	if err != nil {
		return Reference{}, err
	}
	e := CaseReferenceAllocated{Reference: ref, Number: ref.Number(), CaseID: caseID, AllocatedAt: at}
	if err := c.apply(e); err != nil {
		panic(fmt.Sprintf("casefile: allocation does not apply: %v", err)) // programming error
	}
	c.Track(e)
	return ref, nil
}
