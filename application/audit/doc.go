// Package audit is the auditor's (Prüfer:in) read of a case: replay its
// stream step by step (revision, time, actor role and ID, event type and
// data, hashes and the case state after the step), the state at a given
// time, the integrity proof of the hash chain (the head hash, or the first
// break), and a JSON export of all of it.
//
// Every audit read is itself recorded first, as CaseAuditAccessed on the
// stream "auditlog-<case uuid>", chained and signed like a case, so no
// auditor reads a case without leaving a trace; if the record cannot be
// written, nothing is returned. GetCaseAuditLog shows those records.
//
// VerifyEvidence is the one verification of a chained stream (links,
// Ed25519 signatures by a trusted key, the head against the latest signed
// checkpoint); the server's use cases and the offline verifier
// (VerifyExport) both use it. CheckpointWriter writes the signed
// checkpoints (see docs/adr/0007-signed-case-history.md).
//
// It reads the case stream directly (not a projection) and folds it with
// the domain's casefile.FromEvents. It must not write to case streams, and
// must not import adapters or HTTP.
package audit
