// Package visits holds the use cases of a citizen's visit (Besuch): knock
// (idempotent per client request ID), withdraw, presence heartbeat and
// loss, expiry, admission (a chosen visit or the next one of the queue),
// decline with reason and optional referral, a message to a waiting citizen,
// back to the waiting room, call start and the end of call and visit, and
// the citizen's token-guarded status.
//
// Capability tokens: the visit token is an HMAC of the visit ID
// (command.Tokens), so a retried knock returns the same token without the
// token ever being stored; the visit's events name the citizen only by the
// visit ID (actor citizen:<visit id>).
//
// Admission first takes the clerk on the office stream (so one clerk
// cannot admit two visits at once), then allocates the case reference
// (idempotent per the case ID derived from the visit, so two clerks racing
// for one visit waste no number), appends VisitAdmitted with the revision
// it read (the loser of a race gets a conflict and frees its clerk again)
// and then opens the case. Ending a visit or sending it back frees the
// clerk at once. These follow-ups write exactly what the policies
// (OpenCaseOnVisitAdmitted, MarkClerkInCallOnVisitAdmitted, FreeClerkOn…)
// would write, with the same derived event IDs: the clerk's state is
// consistent when the command returns, and the policies are the safety net
// when the process dies in between (whichever runs second writes nothing).
//
// This package must not import adapters, HTTP or the event-store client.
package visits
