package media

import "encoding/json"

// Data channel labels a client opens in its first offer (both ordered and
// reliable). The relay ignores any other channel.
const (
	// SignallingLabel carries relay offers and client answers after Join.
	SignallingLabel = "signalling"
	// ChatLabel carries real-time text chat, relayed to every other
	// participant of the room and never stored.
	ChatLabel = "chat"
)

// SignalMessage is the JSON on the signalling data channel.
//
// Relay to client: {"type":"offer","sdp":…,"participants":{…}} whenever the
// set of forwarded tracks changes (a participant joined, published, left).
// Every forwarded track's stream ID is the publishing participant's ID;
// Participants maps those IDs to roles. The offer is complete (no trickle).
//
// Client to relay: {"type":"answer","sdp":…} for that offer. The relay sends
// one offer at a time and waits for its answer (Config.NegotiationTimeout;
// then the participant is removed with ReasonNegotiationFailed).
//
// Glare: the relay is the impolite side. If the client wants to add a track
// (screen share) it calls Renegotiate through the application; if that
// returns ErrNegotiationInProgress, the client rolls back its own offer,
// answers the relay offer arriving on this channel, and tries again.
type SignalMessage struct {
	Type         string                   `json:"type"`
	SDP          string                   `json:"sdp"`
	Participants map[ParticipantID]string `json:"participants,omitempty"`
}

// ChatMessage is what the relay delivers on the chat channel: the text a
// client sent (a UTF-8 string message of at most Config.MaxChatMessageBytes)
// and who sent it, by ID and role.
type ChatMessage struct {
	From ParticipantID `json:"from"`
	Role string        `json:"role"`
	Text string        `json:"text"`
}

func encode(v any) string {
	b, _ := json.Marshal(v) // plain structs of strings: cannot fail
	return string(b)
}
