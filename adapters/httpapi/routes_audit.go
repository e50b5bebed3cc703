package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/domain"
)

// AuditCaseState is a case's state after one event, as an auditor sees it.
type AuditCaseState struct {
	Reference            string `json:"reference" maxLength:"32"`
	Status               string `json:"status" maxLength:"32"`
	Outcome              string `json:"outcome,omitempty" maxLength:"32"`
	OfficeID             string `json:"officeId" maxLength:"36"`
	ServiceID            string `json:"serviceId" maxLength:"36"`
	ClerkID              string `json:"clerkId,omitempty" maxLength:"36"`
	VisitID              string `json:"visitId,omitempty" maxLength:"36"`
	Notes                int    `json:"notes" minimum:"0"`
	OpenDocumentRequests int    `json:"openDocumentRequests" minimum:"0"`
	ActiveCall           string `json:"activeCall,omitempty" maxLength:"36"`
	Closed               bool   `json:"closed"`
}

func auditStateOf(s audit.CaseState) AuditCaseState {
	return AuditCaseState{
		Reference: s.Reference, Status: s.Status, Outcome: s.Outcome, OfficeID: s.OfficeID.String(), ServiceID: s.ServiceID.String(),
		ClerkID: optID(s.ClerkID), VisitID: optID(s.VisitID), Notes: s.Notes, OpenDocumentRequests: s.OpenDocumentRequests,
		ActiveCall: optID(s.ActiveCall), Closed: s.Closed,
	}
}

// AuditStep is one event of a case with who did it and the state after it.
type AuditStep struct {
	Revision   uint64         `json:"revision"`
	EventID    string         `json:"eventId" maxLength:"36"`
	Type       string         `json:"type" maxLength:"100"`
	OccurredAt time.Time      `json:"occurredAt" maxLength:"40"`
	RecordedAt time.Time      `json:"recordedAt" maxLength:"40"`
	ActorRole  string         `json:"actorRole" maxLength:"20"`
	ActorID    string         `json:"actorId" maxLength:"200"`
	Data       any            `json:"data" doc:"The event's payload as recorded"`
	PrevHash   string         `json:"prevHash,omitempty" maxLength:"64"`
	Hash       string         `json:"hash" maxLength:"64"`
	State      AuditCaseState `json:"state"`
}

// Verification is the outcome of checking a case's history: every event
// chained, signed by a trusted key, and its head as the latest checkpoint
// records it.
type Verification struct {
	Intact            bool   `json:"intact"`
	Events            int    `json:"events" minimum:"0"`
	Head              string `json:"head,omitempty" maxLength:"64" doc:"Hash of the last event"`
	SignaturesChecked bool   `json:"signaturesChecked" doc:"False only where the server has no verification keys (never in serve)"`
	// Checkpoint is the latest signed checkpoint the case was compared with.
	Checkpoint *Checkpoint `json:"checkpoint,omitempty"`
	// Checks is the finding per event.
	Checks []EventCheck `json:"checks" maxItems:"100000"`
	// Failures names the revision of every problem; Break is the first.
	Failures []ChainBreak `json:"failures,omitempty" maxItems:"100000"`
	Break    *ChainBreak  `json:"break,omitempty"`
}

// EventCheck is what verification found for one event.
type EventCheck struct {
	Revision   uint64 `json:"revision"`
	Hash       string `json:"hash" maxLength:"64"`
	Chained    bool   `json:"chained" doc:"Links to its predecessor's hash"`
	KeyID      string `json:"keyId,omitempty" maxLength:"64" doc:"Key the event is signed with (empty: unsigned)"`
	Signed     bool   `json:"signed" doc:"The signature verifies with a trusted key"`
	Checkpoint uint64 `json:"checkpoint,omitempty" doc:"Sequence number of the checkpoint covering the event (absent: newer than the latest checkpoint)"`
}

// Checkpoint is a signed Merkle tree head over every case's head.
type Checkpoint struct {
	Seq   uint64    `json:"seq"`
	Time  time.Time `json:"time" maxLength:"40"`
	Size  int64     `json:"size" minimum:"0"`
	Root  string    `json:"root" maxLength:"64"`
	KeyID string    `json:"keyId" maxLength:"64"`
}

// ChainBreak is where and why a hash chain breaks.
type ChainBreak struct {
	Revision uint64 `json:"revision"`
	Want     string `json:"want" maxLength:"64"`
	Got      string `json:"got" maxLength:"64"`
	Reason   string `json:"reason" maxLength:"500"`
}

func verificationOf(v audit.Verification) Verification {
	out := Verification{Intact: v.Intact, Events: v.Events, Head: v.Head, SignaturesChecked: v.SignaturesChecked,
		Checks: make([]EventCheck, 0, len(v.Checks))}
	if cp := v.Checkpoint; cp != nil {
		out.Checkpoint = &Checkpoint{Seq: cp.Seq, Time: cp.Time, Size: cp.Size, Root: cp.Root, KeyID: cp.Signature.KeyID}
	}
	for _, c := range v.Checks {
		out.Checks = append(out.Checks, EventCheck{Revision: c.Revision, Hash: c.Hash, Chained: c.Chained, KeyID: c.KeyID, Signed: c.Signed, Checkpoint: c.Checkpoint})
	}
	for _, b := range v.Failures {
		out.Failures = append(out.Failures, ChainBreak{Revision: b.Revision, Want: b.Want, Got: b.Got, Reason: b.Reason})
	}
	if len(out.Failures) > 0 {
		out.Break = &out.Failures[0]
	}
	return out
}

// AuditAccess is one recorded audit read of a case.
type AuditAccess struct {
	Revision   uint64    `json:"revision"`
	Kind       string    `json:"kind" maxLength:"20" enum:"replay,state_at,verify,export,audit_log"`
	AsOf       time.Time `json:"asOf,omitzero" maxLength:"40"`
	AccessedAt time.Time `json:"accessedAt" maxLength:"40"`
	ActorRole  string    `json:"actorRole" maxLength:"20"`
	ActorID    string    `json:"actorId" maxLength:"200"`
}

// CaseAuditLog is who read a case as an auditor, with the log's own
// verification (it is chained and signed like the case).
type CaseAuditLog struct {
	CaseID       string        `json:"caseId" maxLength:"36"`
	Records      []AuditAccess `json:"records" maxItems:"100000"`
	Verification Verification  `json:"verification"`
}

type caseAuditLogOutput struct{ Body CaseAuditLog }

// CaseHistory is a case replayed event by event, with its verification.
type CaseHistory struct {
	CaseID       string       `json:"caseId" maxLength:"36"`
	Steps        []AuditStep  `json:"steps" maxItems:"100000"`
	Verification Verification `json:"verification"`
}

type caseHistoryOutput struct{ Body CaseHistory }

type stateAtInput struct {
	CaseID string    `path:"caseId" format:"uuid" maxLength:"36"`
	At     time.Time `query:"at" required:"true" maxLength:"40" doc:"Instant (RFC 3339)"`
}

// CaseStateAt is a case as it was at an instant.
type CaseStateAt struct {
	Existed  bool           `json:"existed"`
	Revision uint64         `json:"revision"`
	State    AuditCaseState `json:"state"`
}

type stateAtOutput struct{ Body CaseStateAt }

type verificationOutput struct{ Body Verification }

type exportOutput struct {
	ContentDisposition string `header:"Content-Disposition" maxLength:"100"`
	Body               []byte `contentType:"application/json"`
}

func registerAuditRoutes(a *API) {
	auditor := Permission{Audience: Auditor}
	errs := []int{http.StatusNotFound}
	const recorded = " Every call is recorded in the case (CaseAuditAccessed) before anything is returned."
	Register(a, huma.Operation{
		OperationID: "get-case-history", Method: http.MethodGet, Path: "/audit/cases/{caseId}/history",
		Summary: "Replay a case step by step", Description: "Each event with its actor, hash and the state after it." + recorded,
		Errors: errs,
	}, auditor, a.caseHistory)
	Register(a, huma.Operation{
		OperationID: "get-case-state-at", Method: http.MethodGet, Path: "/audit/cases/{caseId}/state",
		Summary: "A case as it was at an instant", Description: recorded[1:], Errors: errs,
	}, auditor, a.caseStateAt)
	Register(a, huma.Operation{
		OperationID: "verify-case", Method: http.MethodGet, Path: "/audit/cases/{caseId}/verification",
		Summary:     "Verify a case's history",
		Description: "Per event: chained, signed by which key, covered by which checkpoint; every problem names its revision." + recorded,
		Errors:      errs,
	}, auditor, a.verifyCase)
	Register(a, huma.Operation{
		OperationID: "get-case-audit-log", Method: http.MethodGet, Path: "/audit/cases/{caseId}/audit-log",
		Summary:     "Who read a case as an auditor",
		Description: "The recorded audit accesses, chained and signed like the case, with their verification. This read is recorded too.",
	}, Permission{Audience: Auditor | Admin}, a.caseAuditLog)
	Register(a, huma.Operation{
		OperationID: "export-case", Method: http.MethodGet, Path: "/audit/cases/{caseId}/export",
		Summary: "Export a case as a JSON document", Description: "The replay and verification, with who exported it when." + recorded,
		Errors: errs,
		Responses: map[string]*huma.Response{"200": {Description: "The export", Content: map[string]*huma.MediaType{
			"application/json": {Schema: &huma.Schema{Type: "object", Description: "caseId, steps, verification, exportedAt, exportedBy"}},
		}}},
	}, auditor, a.exportCase)
}

func (a *API) auditCase(in string) (domain.CaseID, error) {
	if _, _, err := a.business(); err != nil {
		return domain.CaseID{}, err
	}
	return idOf("path.caseId", in, domain.ParseID[domain.CaseID])
}

func (a *API) caseHistory(ctx context.Context, in *citizenCasePath) (*caseHistoryOutput, error) {
	id, err := a.auditCase(in.CaseID)
	if err != nil {
		return nil, err
	}
	r, err := a.deps.App.Queries.ReplayCase.Handle(ctx, CommandContext(ctx), audit.ReplayCase{CaseID: id})
	if err != nil {
		return nil, err
	}
	out := CaseHistory{CaseID: r.CaseID.String(), Steps: make([]AuditStep, 0, len(r.Steps)), Verification: verificationOf(r.Verification)}
	for _, s := range r.Steps {
		out.Steps = append(out.Steps, AuditStep{
			Revision: s.Revision, EventID: s.EventID.String(), Type: s.Type, OccurredAt: s.OccurredAt, RecordedAt: s.RecordedAt,
			ActorRole: s.ActorRole, ActorID: s.ActorID, Data: json.RawMessage(s.Data), PrevHash: s.PrevHash, Hash: s.Hash,
			State: auditStateOf(s.State),
		})
	}
	return &caseHistoryOutput{Body: out}, nil
}

func (a *API) caseStateAt(ctx context.Context, in *stateAtInput) (*stateAtOutput, error) {
	id, err := a.auditCase(in.CaseID)
	if err != nil {
		return nil, err
	}
	s, err := a.deps.App.Queries.CaseStateAt.Handle(ctx, CommandContext(ctx), audit.CaseStateAt{CaseID: id, At: in.At})
	if err != nil {
		return nil, err
	}
	return &stateAtOutput{Body: CaseStateAt{Existed: s.Existed, Revision: s.Revision, State: auditStateOf(s.State)}}, nil
}

func (a *API) verifyCase(ctx context.Context, in *citizenCasePath) (*verificationOutput, error) {
	id, err := a.auditCase(in.CaseID)
	if err != nil {
		return nil, err
	}
	v, err := a.deps.App.Queries.VerifyCase.Handle(ctx, CommandContext(ctx), audit.VerifyCase{CaseID: id})
	if err != nil {
		return nil, err
	}
	return &verificationOutput{Body: verificationOf(v)}, nil
}

func (a *API) exportCase(ctx context.Context, in *citizenCasePath) (*exportOutput, error) {
	id, err := a.auditCase(in.CaseID)
	if err != nil {
		return nil, err
	}
	b, err := a.deps.App.Queries.ExportCase.Handle(ctx, CommandContext(ctx), audit.ExportCase{CaseID: id})
	if err != nil {
		return nil, err
	}
	return &exportOutput{ContentDisposition: `attachment; filename="case-` + id.String() + `.json"`, Body: b}, nil
}

func (a *API) caseAuditLog(ctx context.Context, in *citizenCasePath) (*caseAuditLogOutput, error) {
	id, err := a.auditCase(in.CaseID)
	if err != nil {
		return nil, err
	}
	l, err := a.deps.App.Queries.CaseAuditLog.Handle(ctx, CommandContext(ctx), audit.GetCaseAuditLog{CaseID: id})
	if err != nil {
		return nil, err
	}
	out := CaseAuditLog{CaseID: l.CaseID.String(), Records: make([]AuditAccess, 0, len(l.Records)), Verification: verificationOf(l.Verification)}
	for _, r := range l.Records {
		out.Records = append(out.Records, AuditAccess{Revision: r.Revision, Kind: r.Kind, AsOf: r.AsOf, AccessedAt: r.AccessedAt, ActorRole: r.ActorRole, ActorID: r.ActorID})
	}
	return &caseAuditLogOutput{Body: out}, nil
}
