// Package casefile is the Case aggregate (Vorgang; "case" is a Go keyword),
// stream "case-<uuid>", and the reference counter that numbers cases.
//
// A case is opened on admission (or for an existing reference the citizen
// gives) and records its steps: notes (internal or visible to the citizen),
// documents requested and received, status changes, handovers, follow-up
// appointments proposed, the video call (CallStarted, CallParticipantJoined,
// CallParticipantLeft, CallEnded — calls live on the case stream, not in a
// call-<uuid> aggregate, so an auditor replays one stream and sees the call
// within the case's hash chain; policies issue StartCall on VisitCallStarted
// and EndCall on VisitCallEnded, the media adapter JoinCall/LeaveCall), and
// finally its closing with an outcome.
// A closed case refuses every further step.
//
// References (Aktenzeichen, "DO-2026-000123") are numbered per prefix and
// year by the ReferenceCounter aggregate, stream
// "casereference-<prefix>-<year>": its next number is its version plus one,
// so two concurrent allocations append with the same expected revision and
// one of them conflicts and retries.
//
// Hash chain: the application writes the hash of the previous event of the
// case stream into each case event's metadata; the domain does not see it.
//
// CitizenViewOf is the pure projection a citizen may see: reference, status
// and visible notes only. The package does no I/O and never reads the clock.
package casefile
