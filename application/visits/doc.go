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
// Admission allocates the case reference first (idempotent per the case ID
// derived from the visit, so two clerks racing for one visit waste no
// number), appends VisitAdmitted with the revision it read (the loser of a
// race gets a conflict) and then opens the case at once with the same
// deterministic event IDs the OpenCaseOnVisitAdmitted policy uses: the clerk
// sees the case immediately, and the policy is the safety net when the
// process dies in between (whichever runs second writes nothing).
//
// This package must not import adapters, HTTP or the event-store client.
package visits
