package audit

import (
	"context"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// CaseStateAt asks how a case stood at an instant (by the events' occurred-at
// times).
type CaseStateAt struct {
	CaseID domain.CaseID
	At     time.Time
}

// StateAt is the answer: the state after the last event at or before At,
// and that event's revision. Existed is false when the case was opened
// later.
type StateAt struct {
	Existed  bool      `json:"existed"`
	Revision uint64    `json:"revision"`
	State    CaseState `json:"state"`
}

// CaseStateAtHandler handles CaseStateAt.
type CaseStateAtHandler struct{ r reader }

// NewCaseStateAtHandler refuses an incomplete env.
func NewCaseStateAtHandler(d Deps) (CaseStateAtHandler, error) {
	r, err := newReader(d)
	return CaseStateAtHandler{r: r}, err
}

// Handle records the access and folds the history up to At.
func (h CaseStateAtHandler) Handle(ctx context.Context, c command.Context, q CaseStateAt) (StateAt, error) {
	evs, err := h.r.access(ctx, c, q.CaseID, AccessStateAt, q.At)
	if err != nil {
		return StateAt{}, err
	}
	var history []domain.Event
	var rev uint64
	for _, e := range evs {
		if e.Meta.OccurredAt.After(q.At) {
			break
		}
		history = append(history, e.Event)
		rev = e.Revision
	}
	if len(history) == 0 {
		return StateAt{}, nil
	}
	cs, err := casefile.FromEvents(history)
	if err != nil {
		return StateAt{}, err
	}
	return StateAt{Existed: true, Revision: rev, State: stateOf(cs)}, nil
}
