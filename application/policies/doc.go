// Package policies holds the event handlers that issue commands when
// something happened elsewhere (Watermill's "event handler → command"):
//
//   - OpenCaseOnVisitAdmitted: opens the new case named in VisitAdmitted
//     (the admission handler already tried; this is the safety net).
//   - MarkClerkInCallOnVisitAdmitted: the office marks the clerk busy.
//   - FreeClerkOnVisitEnded / FreeClerkOnVisitReturnedToWaitingRoom: the
//     office marks the clerk free again.
//   - StartCaseCallOnVisitCallStarted / EndCaseCallOnVisitCallEnded: the
//     video call appears in the case's hash-chained history.
//   - CheckInAppointmentOnVisitKnocked: a knock with an appointment code
//     checks the appointment in.
//
// Every policy is idempotent: its events get IDs derived from the causing
// event and the policy name (command.PolicyWrite), and the domain methods
// they call do nothing when already done, so a redelivered event writes
// nothing twice. A policy returns an error only for failures worth a retry
// (store unavailable, lost races); a refusal by the domain (the clerk went
// off duty meanwhile, the window closed) is a decision, not a failure, and
// is swallowed so the subscription moves on. Not-found is retried: a case
// policy may see the call before OpenCaseOnVisitAdmitted opened the case.
//
// Policies implement readside.Handler so the read-side router delivers to
// them. This package must not import adapters, Watermill or HTTP.
package policies
