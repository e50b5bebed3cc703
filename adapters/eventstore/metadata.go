package eventstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// wireMetadata is the JSON metadata stored with every event. The correlation
// and causation keys follow EventStoreDB's conventions ($correlationId,
// $causationId) so its own tools and projections understand them.
type wireMetadata struct {
	CorrelationID uuid.UUID `json:"$correlationId"`
	CausationID   uuid.UUID `json:"$causationId"`
	ActorRole     string    `json:"actorRole"`
	ActorID       string    `json:"actorId"`
	OccurredAt    time.Time `json:"occurredAt"`
	SchemaVersion int       `json:"schemaVersion"`
	PrevHash      string    `json:"prevHash,omitempty"`
}

func encodeMetadata(m eventlog.Metadata) ([]byte, error) {
	if m.Actor.IsZero() {
		return nil, fmt.Errorf("metadata: actor is required")
	}
	if m.OccurredAt.IsZero() {
		return nil, fmt.Errorf("metadata: occurred-at is required")
	}
	return json.Marshal(wireMetadata{
		CorrelationID: m.CorrelationID,
		CausationID:   m.CausationID,
		ActorRole:     m.Actor.Role().String(),
		ActorID:       m.Actor.ID(),
		OccurredAt:    m.OccurredAt.UTC(),
		SchemaVersion: m.SchemaVersion,
		PrevHash:      m.PrevHash,
	})
}

// decodeMetadata reads stored metadata. Events written by other tools may
// carry none; they decode to a zero Metadata with schema version 1.
func decodeMetadata(raw []byte) (eventlog.Metadata, error) {
	if len(raw) == 0 {
		return eventlog.Metadata{SchemaVersion: 1}, nil
	}
	var w wireMetadata
	if err := json.Unmarshal(raw, &w); err != nil {
		return eventlog.Metadata{}, fmt.Errorf("decode metadata: %w", err)
	}
	m := eventlog.Metadata{
		CorrelationID: w.CorrelationID,
		CausationID:   w.CausationID,
		OccurredAt:    w.OccurredAt,
		SchemaVersion: w.SchemaVersion,
		PrevHash:      w.PrevHash,
	}
	if m.SchemaVersion == 0 {
		m.SchemaVersion = 1
	}
	if w.ActorRole != "" {
		role, err := domain.ParseRole(w.ActorRole)
		if err != nil {
			return eventlog.Metadata{}, fmt.Errorf("decode metadata: %w", err)
		}
		if m.Actor, err = domain.NewActor(role, w.ActorID); err != nil {
			return eventlog.Metadata{}, fmt.Errorf("decode metadata: %w", err)
		}
	}
	return m, nil
}
