// Package media is the WebRTC relay (a small selective forwarding unit) for
// the calls of the Virtuelles Bürgerbüro: one room per admitted visit, in
// which a citizen, a clerk and up to two guests invited by the clerk
// exchange Opus audio, VP8/H.264 video and real-time text chat.
//
// The application opens a room when it admits a visit, calls Join with the
// WHIP-style SDP offer of each participant and receives lifecycle events
// through an Observer. Pion stays inside this package: no caller sees a Pion
// type.
//
// Signalling: Join and Renegotiate answer only after ICE gathering has
// completed, so answers carry every candidate and there is no trickle ICE
// (one request, one answer, easy to put behind plain HTTP). When the relay
// itself must change a participant's session (another participant's track
// appears or goes away), it sends an SDP offer over the data channel
// labelled "signalling" that each client opens in its first offer, and the
// client replies with its answer on the same channel. See signalling.go.
//
// What this package must not do: it never records, stores or logs media or
// chat (packets are forwarded, never written); it keeps no personal data
// (participants are known by random IDs and roles, never names); it knows
// nothing of HTTP, admission tokens or the event store: the application
// checks tokens before calling Join and turns Observer callbacks into events.
package media
