// Package audit is the auditor's (Prüfer:in) read of a case: replay its
// stream step by step (revision, time, actor role and ID, event type and
// data, hashes and the case state after the step), the state at a given
// time, the integrity proof of the hash chain (the head hash, or the first
// break), and a JSON export of all of it.
//
// Every audit read is itself recorded first, as CaseAuditAccessed on the
// stream "auditlog-<case uuid>", so no auditor reads a case without leaving
// a trace; if the record cannot be written, nothing is returned.
//
// It reads the case stream directly (not a projection) and folds it with
// the domain's casefile.FromEvents. It must not write to case streams, and
// must not import adapters or HTTP.
package audit
