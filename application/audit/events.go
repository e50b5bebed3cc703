package audit

import (
	"time"

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

// EventTypes lists the events this package defines, for the registry.
func EventTypes() []domain.Event { return []domain.Event{CaseAuditAccessed{}} }

// LogStreamName returns "auditlog-<case uuid>".
func LogStreamName(id domain.CaseID) string { return "auditlog-" + id.String() }
