package media

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 5389 long-term credentials and the TURN REST API use HMAC-SHA1
	"encoding/base64"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/pion/turn/v5"
)

// ICEServer is what a client puts into its RTCPeerConnection configuration.
type ICEServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// turnServer is the embedded TURN server (UDP) with REST-API-style
// credentials and a relay that refuses special-purpose peer addresses.
type turnServer struct {
	cfg   TURNConfig
	clock func() time.Time
	srv   *turn.Server
	addr  netip.AddrPort
}

func startTURN(cfg TURNConfig, clock func() time.Time) (*turnServer, error) {
	conn, err := net.ListenPacket("udp4", cfg.ListenAddr.String())
	if err != nil {
		return nil, fmt.Errorf("media: TURN listen %s: %w", cfg.ListenAddr, err)
	}
	logger := silentLogs
	allowed := cfg.AllowedPeers
	srv, err := turn.NewServer(turn.ServerConfig{
		Realm:         cfg.Realm,
		LoggerFactory: logger,
		AuthHandler:   turn.LongTermTURNRESTAuthHandler(cfg.Secret, logger.NewLogger("turn")),
		PacketConnConfigs: []turn.PacketConnConfig{{
			PacketConn: conn,
			RelayAddressGenerator: &turn.RelayAddressGeneratorStatic{
				RelayAddress: net.IP(cfg.RelayIP.Unmap().AsSlice()),
				Address:      cfg.RelayBindIP.String(),
			},
			PermissionHandler: func(_ net.Addr, peer net.IP) bool {
				a, ok := netip.AddrFromSlice(peer)
				return ok && PeerAllowed(a, allowed)
			},
		}},
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("media: TURN server: %w", err)
	}
	return &turnServer{cfg: cfg, clock: clock, srv: srv, addr: conn.LocalAddr().(*net.UDPAddr).AddrPort()}, nil
}

// credentials returns REST-API-style credentials: username "expiry:id"
// (expiry in Unix seconds), password base64(HMAC-SHA1(secret, username)).
func (t *turnServer) credentials(id ParticipantID) (username, password string) {
	username = strconv.FormatInt(t.clock().Add(t.cfg.CredentialTTL).Unix(), 10) + ":" + string(id)
	mac := hmac.New(sha1.New, []byte(t.cfg.Secret))
	mac.Write([]byte(username))
	return username, base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (t *turnServer) close() error { return t.srv.Close() }

// ICEServers returns the embedded TURN server with fresh short-lived
// credentials for participant, or ErrNoTURN when none is configured. The
// relay itself needs no STUN: its candidates are host (or 1:1 NAT) ones.
func (r *Relay) ICEServers(participant ParticipantID) ([]ICEServer, error) {
	if r.turn == nil {
		return nil, ErrNoTURN
	}
	if participant == "" {
		return nil, opErr("ice-servers", "", participant, ErrInvalidRequest)
	}
	user, pass := r.turn.credentials(participant)
	url := "turn:" + net.JoinHostPort(r.turn.cfg.PublicHost, strconv.Itoa(int(r.turn.addr.Port()))) + "?transport=udp"
	return []ICEServer{{URLs: []string{url}, Username: user, Credential: pass}}, nil
}

// TURNAddr is the address the embedded TURN server listens on (useful when
// Config.TURN.ListenAddr had port 0); ok is false without TURN.
func (r *Relay) TURNAddr() (addr netip.AddrPort, ok bool) {
	if r.turn == nil {
		return netip.AddrPort{}, false
	}
	return r.turn.addr, true
}
