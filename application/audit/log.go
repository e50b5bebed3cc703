package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// AccessAuditLog is the kind recorded when the audit log itself is read.
const AccessAuditLog = "audit_log"

// GetCaseAuditLog asks who read a case as an auditor, and when.
type GetCaseAuditLog struct {
	CaseID domain.CaseID
}

// AccessRecord is one recorded audit access.
type AccessRecord struct {
	Revision   uint64    `json:"revision"`
	Kind       string    `json:"kind"`
	AsOf       time.Time `json:"asOf,omitzero"`
	AccessedAt time.Time `json:"accessedAt"`
	ActorRole  string    `json:"actorRole"`
	ActorID    string    `json:"actorId"`
}

// AuditLog is a case's audit log with its own verification (it is chained
// and signed like the case).
type AuditLog struct {
	CaseID       domain.CaseID  `json:"caseId"`
	Records      []AccessRecord `json:"records"`
	Verification Verification   `json:"verification"`
}

// GetCaseAuditLogHandler handles GetCaseAuditLog.
type GetCaseAuditLogHandler struct{ r reader }

// NewGetCaseAuditLogHandler refuses incomplete deps.
func NewGetCaseAuditLogHandler(d Deps) (GetCaseAuditLogHandler, error) {
	r, err := newReader(d)
	return GetCaseAuditLogHandler{r: r}, err
}

// Handle records this read too (it is an audit access), then returns the
// log. Auditors and administrators (who act as the system) may read it.
func (h GetCaseAuditLogHandler) Handle(ctx context.Context, c command.Context, q GetCaseAuditLog) (AuditLog, error) {
	if err := c.RequireRole(domain.RoleAuditor, domain.RoleSystem); err != nil {
		return AuditLog{}, err
	}
	if err := domain.RequireID("case id", q.CaseID); err != nil {
		return AuditLog{}, err
	}
	meta := h.r.d.Env.Meta(c)
	stream := LogStreamName(q.CaseID)
	rec := CaseAuditAccessed{CaseID: q.CaseID, Kind: AccessAuditLog, AccessedAt: meta.OccurredAt}
	if err := appendChained(ctx, h.r.d.Env.Store, stream, eventlog.NewEvent{ID: h.r.d.Env.IDs.NewUUID(), Event: rec, Meta: meta}); err != nil {
		return AuditLog{}, fmt.Errorf("audit: record access: %w", err)
	}
	evs, err := h.r.d.Env.Store.Load(ctx, stream)
	if err != nil && !errors.Is(err, eventlog.ErrStreamNotFound) {
		return AuditLog{}, err
	}
	out := AuditLog{CaseID: q.CaseID, Records: make([]AccessRecord, 0, len(evs))}
	for _, e := range evs {
		a, ok := e.Event.(CaseAuditAccessed)
		if !ok {
			continue
		}
		out.Records = append(out.Records, AccessRecord{Revision: e.Revision, Kind: a.Kind, AsOf: a.AsOf, AccessedAt: a.AccessedAt,
			ActorRole: e.Meta.Actor.Role().String(), ActorID: e.Meta.Actor.ID()})
	}
	if out.Verification, err = h.r.verify(ctx, stream, evs); err != nil {
		return AuditLog{}, err
	}
	return out, nil
}
