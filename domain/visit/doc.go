// Package visit is the Visit aggregate (Besuch), stream "visit-<uuid>": one
// citizen's way through an office door.
//
//	knocked (waiting) ─┬─► admitted ─► in call ─► ended
//	                   ├─► declined | withdrawn | expired
//	                   └─► referred: waiting in another office's queue
//	admitted / in call ─► returned to the waiting room (waiting, same knock time)
//
// Knock is the constructor; it asks the office through the Door port whether
// the door accepts knocks (open or busy; from closing time on it does not,
// but citizens already waiting are still served). Admit asks through the
// Clerks port whether the clerk is on duty, not paused and not in a call.
// Both ports are implemented by *office.Office.
//
// Idempotent knocks: the application derives the visit ID from the office
// and the client's request ID with IDForRequest (UUID v5). A repeated request
// maps to the same stream; appending VisitKnocked with expected revision "no
// stream" then conflicts, and the application loads and returns the existing
// visit instead (SameKnock tells a true repeat from a reused request ID).
//
// Presence: the waiting page reports PresenceLost/PresenceRegained; Expire
// succeeds only when the page has been gone for at least the grace period
// (DefaultGracePeriod, 2 minutes).
//
// The package does no I/O and never reads the clock.
package visit
