// Package office is the Office aggregate (Bürgerbüro), stream "office-<uuid>":
// an office of one department with its services, opening hours, capacity per
// appointment slot, and the clerks on duty there. The door state (open, busy,
// paused, closed) is derived from the hours and the clerks, never stored.
//
// Closing-time rule: from closing time on, AcceptKnock refuses new knocks
// (DoorClosedError carries the next opening). Citizens already waiting stay in
// the queue and are still served after closing; clerks on duty may keep
// admitting them (CanAdmit does not look at the hours).
//
// Several clerks share one office queue. The office learns that a clerk is in
// a call through StartCall/EndCall, issued by policies on VisitAdmitted and
// on VisitEnded or VisitReturnedToWaitingRoom; both are idempotent so a
// retried policy does nothing twice. The clerk is busy from admission on, so
// the door turns busy before the media connects.
//
// This package decides and records events only; it does no I/O and never
// reads the clock.
package office
