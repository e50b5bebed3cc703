package audit

import (
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Access kinds recorded in CaseAuditAccessed.
const (
	AccessReplay  = "replay"
	AccessStateAt = "state_at"
	AccessVerify  = "verify"
	AccessExport  = "export"
)

// CaseAuditAccessed records that an auditor read a case. The auditor is the
// event's actor (metadata); the payload holds no personal data.
type CaseAuditAccessed struct {
	CaseID     domain.CaseID `json:"caseId"`
	Kind       string        `json:"kind"`
	AsOf       time.Time     `json:"asOf,omitzero"`
	AccessedAt time.Time     `json:"accessedAt"`
}

// EventType implements domain.Event.
func (CaseAuditAccessed) EventType() string { return "CaseAuditAccessed" }

// CasesCheckpointed is a signed checkpoint of every chained stream's head,
// on the stream CheckpointStream. It carries the heads that changed since
// the previous one, so the whole tree rebuilds from the stream.
type CasesCheckpointed struct {
	Checkpoint eventlog.SignedTreeHead `json:"checkpoint"`
	Changed    []eventlog.Head         `json:"changed"`
}

// EventType implements domain.Event.
func (CasesCheckpointed) EventType() string { return "CasesCheckpointed" }

// CheckpointStream holds the checkpoints, itself chained and signed.
const CheckpointStream = "checkpoints-cases"

// EventTypes lists the events this package defines, for the registry.
func EventTypes() []domain.Event { return []domain.Event{CaseAuditAccessed{}, CasesCheckpointed{}} }

// LogStreamName returns "auditlog-<case uuid>".
func LogStreamName(id domain.CaseID) string { return "auditlog-" + id.String() }
