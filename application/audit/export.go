package audit

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// ExportCase asks for a case's audit record as a JSON document.
type ExportCase struct {
	CaseID domain.CaseID
}

// Export is the exported document: the replay, the evidence to verify it
// offline (`buergerbuero verify`), and when and by whom it was exported.
type Export struct {
	Replay
	Evidence   ExportEvidence `json:"evidence"`
	ExportedAt time.Time      `json:"exportedAt"`
	ExportedBy string         `json:"exportedBy"`
}

// ExportEvidence holds the events exactly as stored (their signatures close
// the metadata), the latest checkpoint with the proof of the case's head in
// it, and the public keys the server trusted. The offline verifier trusts
// only the keys it is given, never these.
type ExportEvidence struct {
	Stream     string                   `json:"stream"`
	Events     []StoredEvent            `json:"events"`
	Checkpoint *eventlog.SignedTreeHead `json:"checkpoint,omitempty"`
	Inclusion  *eventlog.Inclusion      `json:"inclusion,omitempty"`
	PublicKeys map[string][]byte        `json:"publicKeys,omitempty"`
}

// StoredEvent is one event as stored; Data and Metadata are the exact bytes
// (base64 in JSON).
type StoredEvent struct {
	Revision   uint64    `json:"revision"`
	ID         uuid.UUID `json:"id"`
	Type       string    `json:"type"`
	Data       []byte    `json:"data"`
	Metadata   []byte    `json:"metadata"`
	RecordedAt time.Time `json:"recordedAt"`
}

// ExportCaseHandler handles ExportCase.
type ExportCaseHandler struct{ r reader }

// NewExportCaseHandler refuses incomplete deps.
func NewExportCaseHandler(d Deps) (ExportCaseHandler, error) {
	r, err := newReader(d)
	return ExportCaseHandler{r: r}, err
}

// Handle records the access and returns the indented JSON document.
func (h ExportCaseHandler) Handle(ctx context.Context, c command.Context, q ExportCase) ([]byte, error) {
	evs, err := h.r.access(ctx, c, q.CaseID, AccessExport, time.Time{})
	removed := errors.Is(err, casefile.ErrNotFound)
	if err != nil && !removed {
		return nil, err
	}
	ev, eerr := h.r.evidence(ctx, casefile.StreamName(q.CaseID), evs)
	if eerr != nil {
		return nil, eerr
	}
	if removed && ev.Inclusion == nil {
		return nil, err // never existed, as far as the checkpoints know
	}
	// A case the checkpoint knows but the store lost exports as evidence
	// of the removal: no events, the checkpoint and its proof.
	steps, err := Fold(evs)
	if err != nil {
		return nil, err
	}
	doc := Export{
		Replay:     Replay{CaseID: q.CaseID, Steps: steps, Verification: VerifyEvidence(ev)},
		Evidence:   ExportEvidence{Stream: ev.Stream, Checkpoint: ev.Checkpoint, Inclusion: ev.Inclusion},
		ExportedAt: h.r.d.Env.Clock.Now().UTC(), ExportedBy: c.Actor.String(),
	}
	for _, e := range evs {
		doc.Evidence.Events = append(doc.Evidence.Events, StoredEvent{Revision: e.Revision, ID: e.ID, Type: e.Type,
			Data: e.Data, Metadata: e.RawMetadata, RecordedAt: e.RecordedAt})
	}
	if ev.Keys != nil {
		doc.Evidence.PublicKeys = map[string][]byte{}
		for id, k := range ev.Keys {
			doc.Evidence.PublicKeys[id] = k
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// VerifyExport checks an export offline against the trusted keys (not the
// keys inside it), with the same VerifyEvidence the server uses.
func VerifyExport(doc []byte, trusted eventlog.PublicKeys) (Verification, error) {
	var ex Export
	if err := json.Unmarshal(doc, &ex); err != nil {
		return Verification{}, err
	}
	if trusted == nil {
		trusted = eventlog.PublicKeys{}
	}
	ev := Evidence{Stream: ex.Evidence.Stream, Keys: trusted, Checkpoint: ex.Evidence.Checkpoint, Inclusion: ex.Evidence.Inclusion}
	for _, e := range ex.Evidence.Events {
		ev.Events = append(ev.Events, eventlog.RecordedEvent{Stream: ev.Stream, Revision: e.Revision, ID: e.ID, Type: e.Type,
			Data: e.Data, RawMetadata: e.Metadata, RecordedAt: e.RecordedAt})
	}
	return VerifyEvidence(ev), nil
}
