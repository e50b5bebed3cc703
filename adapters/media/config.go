package media

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Config holds every network and limit setting of the relay. The zero value
// plus WithDefaults runs on a laptop: all non-loopback interfaces, ephemeral
// UDP ports, no TURN.
type Config struct {
	// ListenIPs restricts the host addresses the relay gathers ICE candidates
	// on. Empty means every non-loopback interface address (IPv4 only).
	ListenIPs []netip.Addr
	// IncludeLoopback gathers candidates on loopback addresses as well
	// (tests, or a host whose public IP sits on the loopback interface).
	IncludeLoopback bool
	// PublicIP, when set, replaces the host candidates' address (1:1 NAT, as
	// on a cloud VM with a floating IP).
	PublicIP netip.Addr

	// UDPPortMin and UDPPortMax bound the ephemeral UDP ports of ICE, one
	// socket per connection. Both zero means any port.
	UDPPortMin, UDPPortMax uint16
	// UDPPort, when non-zero, multiplexes every ICE connection over this one
	// UDP port per listen IP (ICE UDP mux); excludes UDPPortMin/Max.
	UDPPort uint16

	// ICEDisconnectedTimeout, ICEFailedTimeout and ICEKeepaliveInterval are
	// Pion's ICE timers. A participant whose connection stays silent for
	// disconnected+failed timeouts is removed and reported as left.
	ICEDisconnectedTimeout time.Duration
	ICEFailedTimeout       time.Duration
	ICEKeepaliveInterval   time.Duration
	// NegotiationTimeout bounds how long a relay offer waits for the client's
	// answer on the signalling data channel, and how long the signalling
	// channel may take to open after Join.
	NegotiationTimeout time.Duration
	// ClosedRoomRetention is how long a closed room is remembered so that a
	// late Join gets ErrRoomClosed instead of ErrUnknownRoom.
	ClosedRoomRetention time.Duration

	// MaxParticipantsPerRoom limits a room (citizen, clerk and guests).
	MaxParticipantsPerRoom int
	// MaxRooms limits the rooms open at once on this relay.
	MaxRooms int
	// MaxConnectionsPerClientAddr limits the peer connections from one client
	// IP address. Keep it generous: a city hall's clerks share one NAT.
	MaxConnectionsPerClientAddr int
	// MaxChatMessageBytes is the largest chat message relayed.
	MaxChatMessageBytes int

	// TURN, when non-nil, starts an embedded TURN server.
	TURN *TURNConfig

	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

// TURNConfig configures the embedded TURN server (UDP only).
type TURNConfig struct {
	// ListenAddr is where the TURN server listens (port 0 picks one; see
	// Relay.TURNAddr).
	ListenAddr netip.AddrPort
	// RelayIP is the address put into allocations (the public IP); RelayBindIP
	// is the local address relay sockets bind to (defaults to
	// ListenAddr's address).
	RelayIP     netip.Addr
	RelayBindIP netip.Addr
	// PublicHost is the host name or IP clients use in the turn: URL;
	// defaults to RelayIP.
	PublicHost string
	// Realm of the long-term credentials.
	Realm string
	// Secret is the shared HMAC secret (at least 16 bytes).
	Secret string
	// CredentialTTL is how long credentials from ICEServers stay valid.
	CredentialTTL time.Duration
	// AllowedPeers are exceptions to the peer address filter, for example the
	// relay's own private address when TURN and relay share a private
	// network. Everything else in special-purpose ranges is refused.
	AllowedPeers []netip.Prefix
}

// Defaults returned by WithDefaults for unset fields.
const (
	DefaultMaxParticipantsPerRoom      = 4
	DefaultMaxRooms                    = 500
	DefaultMaxConnectionsPerClientAddr = 50
	DefaultMaxChatMessageBytes         = 4096
)

// WithDefaults returns a copy of c with every unset field filled in.
func (c Config) WithDefaults() Config {
	setDur := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	setInt := func(i *int, v int) {
		if *i == 0 {
			*i = v
		}
	}
	setDur(&c.ICEDisconnectedTimeout, 5*time.Second)
	setDur(&c.ICEFailedTimeout, 25*time.Second)
	setDur(&c.ICEKeepaliveInterval, 2*time.Second)
	setDur(&c.NegotiationTimeout, 15*time.Second)
	setDur(&c.ClosedRoomRetention, 10*time.Minute)
	setInt(&c.MaxParticipantsPerRoom, DefaultMaxParticipantsPerRoom)
	setInt(&c.MaxRooms, DefaultMaxRooms)
	setInt(&c.MaxConnectionsPerClientAddr, DefaultMaxConnectionsPerClientAddr)
	setInt(&c.MaxChatMessageBytes, DefaultMaxChatMessageBytes)
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.TURN != nil {
		t := *c.TURN
		setDur(&t.CredentialTTL, 12*time.Hour)
		if t.Realm == "" {
			t.Realm = "buergerbuero"
		}
		if !t.RelayBindIP.IsValid() {
			t.RelayBindIP = t.ListenAddr.Addr()
		}
		if t.PublicHost == "" && t.RelayIP.IsValid() {
			t.PublicHost = t.RelayIP.String()
		}
		c.TURN = &t
	}
	return c
}

// Validate reports every problem of c at once (errors.Join). Call it on the
// result of WithDefaults.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("media config: "+format, args...)) }

	for i, ip := range c.ListenIPs {
		switch {
		case !ip.IsValid():
			bad("ListenIPs[%d] is not an IP address", i)
		case !ip.Unmap().Is4():
			bad("ListenIPs[%d] %s: only IPv4 is supported", i, ip)
		case ip.IsUnspecified():
			bad("ListenIPs[%d] is unspecified; leave ListenIPs empty for all interfaces", i)
		case ip.IsLoopback() && !c.IncludeLoopback:
			bad("ListenIPs[%d] %s is loopback but IncludeLoopback is false", i, ip)
		}
	}
	if c.PublicIP.IsValid() && (c.PublicIP.IsUnspecified() || c.PublicIP.IsMulticast() || !c.PublicIP.Unmap().Is4()) {
		bad("PublicIP %s must be a unicast IPv4 address", c.PublicIP)
	}
	if (c.UDPPortMin == 0) != (c.UDPPortMax == 0) {
		bad("UDPPortMin and UDPPortMax must be set together")
	}
	if c.UDPPortMin > c.UDPPortMax {
		bad("UDPPortMin %d is above UDPPortMax %d", c.UDPPortMin, c.UDPPortMax)
	}
	if c.UDPPort != 0 && c.UDPPortMin != 0 {
		bad("UDPPort (single-port mux) and UDPPortMin/UDPPortMax exclude each other")
	}
	for name, d := range map[string]time.Duration{
		"ICEDisconnectedTimeout": c.ICEDisconnectedTimeout,
		"ICEFailedTimeout":       c.ICEFailedTimeout,
		"ICEKeepaliveInterval":   c.ICEKeepaliveInterval,
		"NegotiationTimeout":     c.NegotiationTimeout,
		"ClosedRoomRetention":    c.ClosedRoomRetention,
	} {
		if d <= 0 {
			bad("%s must be positive", name)
		}
	}
	if c.ICEKeepaliveInterval >= c.ICEDisconnectedTimeout && c.ICEDisconnectedTimeout > 0 {
		bad("ICEKeepaliveInterval must be shorter than ICEDisconnectedTimeout")
	}
	if c.MaxParticipantsPerRoom < 2 {
		bad("MaxParticipantsPerRoom must be at least 2")
	}
	if c.MaxRooms < 1 {
		bad("MaxRooms must be at least 1")
	}
	if c.MaxConnectionsPerClientAddr < 1 {
		bad("MaxConnectionsPerClientAddr must be at least 1")
	}
	if c.MaxChatMessageBytes < 1 || c.MaxChatMessageBytes > 64*1024 {
		bad("MaxChatMessageBytes must be between 1 and 65536")
	}
	if c.Clock == nil {
		bad("Clock must be set (use WithDefaults)")
	}
	if c.TURN != nil {
		errs = append(errs, c.TURN.validate()...)
	}
	return errors.Join(errs...)
}

func (t *TURNConfig) validate() []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("media config: TURN."+format, args...))
	}
	if !t.ListenAddr.IsValid() || !t.ListenAddr.Addr().Unmap().Is4() {
		bad("ListenAddr must be an IPv4 address and port")
	}
	if !t.RelayIP.IsValid() || t.RelayIP.IsUnspecified() || !t.RelayIP.Unmap().Is4() {
		bad("RelayIP must be a specified IPv4 address")
	}
	if !t.RelayBindIP.IsValid() || !t.RelayBindIP.Unmap().Is4() {
		bad("RelayBindIP must be an IPv4 address")
	}
	if t.PublicHost == "" {
		bad("PublicHost must be set")
	}
	if t.Realm == "" {
		bad("Realm must be set")
	}
	if len(t.Secret) < 16 {
		bad("Secret must be at least 16 bytes")
	}
	if t.CredentialTTL <= 0 || t.CredentialTTL > 48*time.Hour {
		bad("CredentialTTL must be positive and at most 48h")
	}
	for i, p := range t.AllowedPeers {
		if !p.IsValid() {
			bad("AllowedPeers[%d] is not a valid prefix", i)
		}
	}
	return errs
}
