package audit

import (
	"context"
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Verification is the integrity proof of a case stream: intact with the
// head hash an auditor writes down, or the first break.
type Verification struct {
	Intact bool                 `json:"intact"`
	Events int                  `json:"events"`
	Head   string               `json:"head,omitempty"`
	Break  *eventlog.ChainBreak `json:"break,omitempty"`
}

// Verify checks the hash chain of a case stream.
func Verify(evs []eventlog.RecordedEvent) Verification {
	head, err := eventlog.VerifyChain(evs)
	if err == nil {
		return Verification{Intact: true, Events: len(evs), Head: head}
	}
	var br eventlog.ChainBreak
	if errors.As(err, &br) {
		return Verification{Events: len(evs), Break: &br}
	}
	return Verification{Events: len(evs), Break: &eventlog.ChainBreak{Reason: err.Error()}}
}

// VerifyCase asks for the integrity proof of a case.
type VerifyCase struct {
	CaseID domain.CaseID
}

// VerifyCaseHandler handles VerifyCase.
type VerifyCaseHandler struct{ r reader }

// NewVerifyCaseHandler refuses an incomplete env.
func NewVerifyCaseHandler(env command.Env) (VerifyCaseHandler, error) {
	r, err := newReader(env)
	return VerifyCaseHandler{r: r}, err
}

// Handle records the access and verifies the chain.
func (h VerifyCaseHandler) Handle(ctx context.Context, c command.Context, q VerifyCase) (Verification, error) {
	evs, err := h.r.access(ctx, c, q.CaseID, AccessVerify, time.Time{})
	if err != nil {
		return Verification{}, err
	}
	return Verify(evs), nil
}
