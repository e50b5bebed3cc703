package media_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pion/turn/v5"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

func TestPeerAllowed(t *testing.T) {
	cases := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true},
		{"85.214.1.1", true},
		{"2a00:1450:4001:80b::200e", true},
		{"::ffff:8.8.8.8", true},
		{"127.0.0.1", false},
		{"127.9.9.9", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.254", false},
		{"192.168.1.1", false},
		{"fd00::1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"fe80::1", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"ff02::1", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"::", false},
		{"100.64.0.1", false},
		{"192.0.0.8", false},
		{"192.0.2.1", false},
		{"198.18.0.1", false},
		{"198.51.100.1", false},
		{"203.0.113.1", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:127.0.0.1", false},
		{"64:ff9b::a00:1", false}, // NAT64 of 10.0.0.1
		{"2002:a00:1::1", false},  // 6to4 of 10.0.0.1
		{"2001::1", false},        // Teredo
		{"2001:db8::1", false},
		{"100::1", false},
		{"172.15.255.255", true},
		{"172.32.0.0", true},
	}
	for _, c := range cases {
		if got := media.PeerAllowed(netip.MustParseAddr(c.addr), nil); got != c.want {
			t.Errorf("PeerAllowed(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
	if media.PeerAllowed(netip.Addr{}, nil) {
		t.Error("the zero address must be refused")
	}
	exc := []netip.Prefix{netip.MustParsePrefix("10.0.0.5/32")}
	if !media.PeerAllowed(netip.MustParseAddr("10.0.0.5"), exc) || media.PeerAllowed(netip.MustParseAddr("10.0.0.6"), exc) {
		t.Error("exceptions must admit exactly their prefix")
	}
}

func turnConfig() media.Config {
	// Clients wait 2s before they accept a relayed pair (Pion's default, as
	// browsers do); testConfig's ICE timeouts leave room for that.
	cfg := testConfig()
	cfg.TURN = &media.TURNConfig{
		ListenAddr:    netip.MustParseAddrPort("127.0.0.1:0"),
		RelayIP:       loopback,
		Secret:        "test-secret-0123456789",
		CredentialTTL: time.Minute,
		// The relay and the test's peer sit on 127.0.0.1; 127.0.0.2 stays
		// refused like every other loopback address.
		AllowedPeers: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}
	return cfg
}

func TestTURNCredentialsAndPeerFilter(t *testing.T) {
	r := newRelay(t, turnConfig(), nil)
	addr, ok := r.TURNAddr()
	if !ok {
		t.Fatal("no TURN address")
	}
	servers, err := r.ICEServers("p-1")
	if err != nil || len(servers) != 1 {
		t.Fatalf("ICEServers: %v %v", servers, err)
	}
	s := servers[0]
	if want := "turn:127.0.0.1:" + strconv.Itoa(int(addr.Port())) + "?transport=udp"; len(s.URLs) != 1 || s.URLs[0] != want {
		t.Fatalf("URLs %q, want %q", s.URLs, want)
	}
	expiry, id, found := strings.Cut(s.Username, ":")
	exp, _ := strconv.ParseInt(expiry, 10, 64)
	if !found || id != "p-1" || exp < time.Now().Unix() || exp > time.Now().Add(2*time.Minute).Unix() {
		t.Fatalf("username %q, want expiry:p-1 about a minute ahead", s.Username)
	}
	mac := hmac.New(sha1.New, []byte("test-secret-0123456789"))
	mac.Write([]byte(s.Username))
	if s.Credential != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Fatal("credential is not base64(HMAC-SHA1(secret, username))")
	}

	// Wrong password: no allocation.
	if _, _, err := allocate(t, addr, s.Username, "d3Jvbmc="); err == nil {
		t.Fatal("allocation with a wrong password succeeded")
	}

	client, relayConn, err := allocate(t, addr, s.Username, s.Credential)
	if err != nil {
		t.Fatalf("allocate: %v", err)
	}
	refused := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 9}
	if err := client.CreatePermission(refused); err == nil {
		t.Fatal("permission for a loopback peer granted")
	}
	// An allowed peer receives relayed data.
	peer, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if _, err := relayConn.WriteTo([]byte("hallo"), peer.LocalAddr()); err != nil {
		t.Fatalf("relay to allowed peer: %v", err)
	}
	_ = peer.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 64)
	n, _, err := peer.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hallo" {
		t.Fatalf("peer got %q, %v", buf[:n], err)
	}

	plain := newRelay(t, testConfig(), nil)
	if _, err := plain.ICEServers("p-1"); !errors.Is(err, media.ErrNoTURN) {
		t.Fatalf("ICEServers without TURN: %v", err)
	}
}

func allocate(t *testing.T, server netip.AddrPort, user, pass string) (*turn.Client, net.PacketConn, error) {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client, err := turn.NewClient(&turn.ClientConfig{
		TURNServerAddr: server.String(), Username: user, Password: pass, Realm: "buergerbuero",
		Conn: conn, RTO: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); _ = conn.Close() })
	if err := client.Listen(); err != nil {
		t.Fatal(err)
	}
	relayConn, err := client.Allocate()
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { _ = relayConn.Close() })
	return client, relayConn, nil
}

func TestCallThroughEmbeddedTURN(t *testing.T) {
	r := newRelay(t, turnConfig(), nil)
	if err := r.OpenRoom("room-turn"); err != nil {
		t.Fatal(err)
	}
	join := func(role media.Role) *testClient {
		id := media.NewParticipantID()
		servers, err := r.ICEServers(id)
		if err != nil {
			t.Fatal(err)
		}
		conf := webrtc.Configuration{ICETransportPolicy: webrtc.ICETransportPolicyRelay}
		for _, s := range servers {
			conf.ICEServers = append(conf.ICEServers, webrtc.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
		}
		c := newTestClientWith(t, conf)
		c.publish(role.String())
		if err := c.joinAs(r, "room-turn", role, id); err != nil {
			t.Fatalf("%s join: %v", role, err)
		}
		if c.id != id {
			t.Fatalf("relay assigned %s, want the pre-issued %s", c.id, id)
		}
		return c
	}
	citizen, clerk := join(media.RoleCitizen), join(media.RoleClerk)
	cs := &sender{c: citizen}
	cs.warmUntil(t, hasMedia(clerk, citizen.id))
	pair, err := citizen.pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
	if err != nil || pair == nil || pair.Local.Typ != webrtc.ICECandidateTypeRelay {
		t.Fatalf("selected pair %v (%v), want a relayed local candidate", pair, err)
	}
}
