package httpapi

import (
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// operationDescriptions are the reference texts of operations whose route
// declares only a summary. Every operation must have a description
// (TestEveryOperationIsDocumented); prefer writing it at the route.
var operationDescriptions = map[string]string{
	"cancel-appointment":           "Cancels the booked appointment; its slot becomes free again. Cancelling an appointment that is already cancelled or past is 409.",
	"reschedule-appointment":       "Moves the appointment to another free slot of the same service. The old slot is freed and the confirmation code stays the same. A slot that is full or in the past is 409.",
	"logout":                       "Revokes the current staff session on the server: the token (or cookie) is refused from now on.",
	"get-me":                       "Returns the signed-in staff user: ID, username, roles and assigned offices. No password data.",
	"get-citizen-case":             "The citizen's own view of their case: reference, status, the steps meant for them, open document requests (with the request ID to upload to) and proposed follow-ups. Clerks' internal notes are not included.",
	"list-my-cases":                "The open cases the calling clerk handles, across their offices, most recent first.",
	"list-offices":                 "Every office with its door state (open, busy, paused, closed) and, when closed, the next opening. Public: the citizen portal's start page.",
	"create-office":                "Establishes a new office with its name, services and weekly opening hours (Europe/Berlin). The door stays closed until a clerk goes on duty.",
	"get-office":                   "One office: its door state, services and opening hours. Public.",
	"get-appointment":              "The booked appointment: service, slot, status and the check-in window during which knocking with its code gives priority.",
	"get-office-calendar":          "The appointments of one day (Europe/Berlin) of the office, by slot, with their status.",
	"list-cases":                   "The cases of the office, most recent first, filtered by status.",
	"get-case":                     "A case of the office with its status, steps, notes, document requests and received documents (with SHA-256).",
	"close-case":                   "Closes the case with an outcome. A closed case accepts no further steps; closing it again is 409.",
	"request-document":             "Asks the citizen for a document with a description and a due date. The answer carries the request ID the citizen uploads to (upload-document).",
	"download-document":            "Streams a received document of the case as an attachment (application/octet-stream), addressed by its SHA-256.",
	"propose-follow-up":            "Proposes a follow-up appointment to the citizen; it appears on the citizen's case view.",
	"add-case-note":                "Adds an internal note to the case. Notes are visible to clerks and auditors, never to the citizen.",
	"change-case-status":           "Moves the case to another status (e.g. waiting for the citizen, waiting for the office). Closing is close-case.",
	"go-off-duty":                  "The calling clerk stops serving the office. When nobody else serves, the door closes; waiting citizens stay in the queue.",
	"go-on-duty":                   "The calling clerk starts serving the office: within opening hours its door opens and citizens can knock.",
	"pause-duty":                   "The calling clerk pauses serving; the door shows paused when nobody else serves. Knocking is refused while paused.",
	"resume-duty":                  "The calling clerk resumes serving after a pause.",
	"remove-hours-exception":       "Removes the exception of one date: the weekly hours apply again on that day.",
	"set-hours-exception":          "Sets the hours of one date (Europe/Berlin), e.g. a holiday or a closure, overriding the weekly hours.",
	"set-opening-hours":            "Replaces the office's weekly opening hours (Europe/Berlin, DST-correct).",
	"get-queue":                    "The waiting queue of the office in order (appointments due now first, then walk-ins by arrival), with each visit's place, estimated wait and presence.",
	"admit-next":                   "Admits the first present citizen of the queue; a call and the case start. An empty queue is 409; a clerk already in a call is 409.",
	"withdraw-service":             "Stops offering a service at the office; booked appointments keep their slots.",
	"offer-service":                "Offers a service at the office (name, expected duration), or updates it.",
	"list-slots":                   "The free appointment slots of a service over the coming days. Public: the booking page.",
	"set-slot-capacity":            "Sets how many appointments one slot of the office takes.",
	"get-office-stats":             "The office's figures of one day: knocks, served, declined, withdrawn, expired, waiting times. No personal data.",
	"decline-visit":                "Declines a waiting visit with a reason, or refers it to another office. A visit that is no longer waiting is 409.",
	"end-visit":                    "Ends the visit's call; the case stays open for further steps.",
	"send-visit-message":           "Sends a short message to the waiting citizen; it appears on their waiting page.",
	"return-visit-to-waiting-room": "Sends an admitted citizen back to the queue (e.g. to fetch a document), keeping their place at the front.",
	"list-staff-users":             "Every staff account with roles, offices and whether it is disabled. No password data.",
	"set-staff-password":           "Sets a new password for a staff user (at least 12 characters); the user's sessions end.",
	"get-visit":                    "The citizen's visit: status, place in the queue, estimated wait and, once admitted, the call to join.",
	"withdraw-visit":               "The citizen leaves the queue. A visit that was already admitted, declined or ended is 409.",
}

// RequestIDHeader carries the ID the server gives every request: it is in
// the access log and is a problem's instance.
const RequestIDHeader = "X-Request-ID"

// documentOperation completes an operation's reference: its description,
// the X-Request-ID header every response carries, and Retry-After on 429
// and 503 answers.
func documentOperation(_ *huma.OpenAPI, op *huma.Operation) {
	if op.Description == "" {
		op.Description = operationDescriptions[op.OperationID]
	}
	for code, r := range op.Responses {
		if r.Headers == nil {
			r.Headers = map[string]*huma.Param{}
		}
		r.Headers[RequestIDHeader] = &huma.Param{
			Description: "The ID the server gave this request (a UUID); quote it when reporting a problem.",
			Schema:      &huma.Schema{Type: "string", MaxLength: ptr(64)},
		}
		if s, err := strconv.Atoi(code); err == nil && (s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable) {
			r.Headers["Retry-After"] = &huma.Param{
				Description: "Seconds to wait before trying again.",
				Schema:      &huma.Schema{Type: "integer", Minimum: ptr(0.0)},
			}
		}
	}
}
