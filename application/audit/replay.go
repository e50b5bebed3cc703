package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// Step is one event of a case as an auditor sees it.
type Step struct {
	Revision   uint64          `json:"revision"`
	EventID    uuid.UUID       `json:"eventId"`
	Type       string          `json:"type"`
	OccurredAt time.Time       `json:"occurredAt"`
	RecordedAt time.Time       `json:"recordedAt"`
	ActorRole  string          `json:"actorRole"`
	ActorID    string          `json:"actorId"`
	Data       json.RawMessage `json:"data"`
	PrevHash   string          `json:"prevHash,omitempty"`
	Hash       string          `json:"hash"`
	State      CaseState       `json:"state"`
}

// ReplayCase asks for every step of a case.
type ReplayCase struct {
	CaseID domain.CaseID
}

// Replay is a case's history with the state after each step and the
// integrity verdict.
type Replay struct {
	CaseID       domain.CaseID `json:"caseId"`
	Steps        []Step        `json:"steps"`
	Verification Verification  `json:"verification"`
}

// ReplayCaseHandler handles ReplayCase.
type ReplayCaseHandler struct{ r reader }

// NewReplayCaseHandler refuses an incomplete env.
func NewReplayCaseHandler(d Deps) (ReplayCaseHandler, error) {
	r, err := newReader(d)
	return ReplayCaseHandler{r: r}, err
}

// Handle records the access and replays the case.
func (h ReplayCaseHandler) Handle(ctx context.Context, c command.Context, q ReplayCase) (Replay, error) {
	evs, err := h.r.access(ctx, c, q.CaseID, AccessReplay, time.Time{})
	if err != nil {
		return Replay{}, err
	}
	steps, err := Fold(evs)
	if err != nil {
		return Replay{}, err
	}
	v, err := h.r.verify(ctx, casefile.StreamName(q.CaseID), evs)
	if err != nil {
		return Replay{}, err
	}
	return Replay{CaseID: q.CaseID, Steps: steps, Verification: v}, nil
}
