// Package calls attaches the video calls (Videositzungen) of the media
// relay to visits and cases: it issues join tokens, lets the admitting clerk
// invite guests, opens and closes the relay's rooms, and turns the relay's
// lifecycle callbacks into events on the visit and case streams.
//
// # Join tokens
//
// A join token is a bearer secret of 256 bits from the injected random
// source ("bbj_" + URL-safe base64), bound to one visit, one call of that
// visit (the relay's room) and one role (citizen, clerk, interpreter,
// colleague). It is single-use, short-lived (Config.TokenTTL, default two
// minutes; guest links Config.GuestTokenTTL, default ten minutes, because
// they travel by phone or mail) and kept only as its SHA-256 hash. A
// replayed, expired or forged token is ErrUnauthorized; the caller cannot
// tell which (the HTTP layer answers 401). Once spent, a join token
// authorises only the participant it created: renegotiating and leaving,
// as a WHIP session's bearer token authorises its resource (the clients
// send the same Authorization header to the resource URL).
//
// Tokens and rooms live in this process's memory: a call is pinned to the
// app instance that relays it (the load balancer routes /visits/{id}/call…
// by visit ID), which is also where its media flows. A restart forgets
// outstanding tokens; clients ask for new ones. The stores are bounded
// (Config.MaxTokens; per call one citizen and one clerk token, a newer one
// replacing the older, and at most Config.MaxGuests guests, invited or in
// the call).
//
// # Rooms
//
// The relay's room of a visit is named by the visit's call ID, which
// admission draws afresh: a visit sent back to the waiting room and
// admitted again gets a new room, where a room named by the visit ID would
// still be remembered as closed. The room is opened on this instance when
// the first join token of an admitted visit is issued (the clerk's
// workspace asks for the clerk's token right after admission), not by a
// policy on VisitAdmitted: every instance runs the read-side policies, and
// only one of them relays the call. Handler closes the room when the visit
// ends or goes back to the waiting room.
//
// # Events
//
// Service implements the relay's observer through the Observer port:
//   - the first participant joined: StartCall on the visit
//     (VisitCallStarted), then at once, with the policy's own derived event
//     IDs, CallStarted on the case (as StartCaseCallOnVisitCallStarted
//     would; whichever runs second writes nothing);
//   - a participant joined or left: CallParticipantJoined/Left on the case,
//     with the domain role and an actor ID "<call role>:<participant ID>"
//     (random, never a name); the case refuses a second join or leave of the
//     same participant, so a repeat records nothing;
//   - the last participant left: the visit ends (EndVisit as the system:
//     citizen_left if the citizen hung up, connection_lost if their
//     connection failed), the case's call ends as EndCaseCallOnVisitCallEnded
//     would (duration from CallStarted, reason), and the room is closed.
//
// The callbacks are recorded one after the other, each a few milliseconds
// behind the relay. A visit ended in that window keeps the case consistent:
// a join recorded after the call's end is refused, so the case shows
// neither the join nor a leave.
//
// Guests have no domain role of their own: an interpreter is recorded with
// the citizen role (an outside person admitted by a capability link), a
// colleague with the clerk role; the call role is the prefix of the actor
// ID. No call is ever recorded, and nothing here logs personal data.
//
// This package must not import adapters, HTTP or Pion: the relay is reached
// through the Relay port (adapters/mediabridge implements it).
package calls
