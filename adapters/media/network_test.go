package media_test

import (
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

// freeUDPPort returns a UDP port on 127.0.0.1 that was free a moment ago.
func freeUDPPort(t *testing.T) uint16 {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	_ = c.Close()
	return uint16(port)
}

func TestSinglePortMuxCarriesEveryParticipant(t *testing.T) {
	cfg := testConfig()
	cfg.UDPPort = freeUDPPort(t)
	r := newRelay(t, cfg, nil)
	citizen, clerk := call(t, r, "room-mux")
	cs, ks := &sender{c: citizen}, &sender{c: clerk}
	cs.warmUntil(t, hasMedia(clerk, citizen.id))
	ks.warmUntil(t, hasMedia(citizen, clerk.id))
	for _, c := range []*testClient{citizen, clerk} {
		pair, err := c.pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
		if err != nil || pair == nil || pair.Remote.Port != cfg.UDPPort {
			t.Fatalf("selected pair %v (%v), want relay port %d", pair, err, cfg.UDPPort)
		}
	}
}

func TestPublicIPReplacesHostCandidates(t *testing.T) {
	cfg := testConfig()
	cfg.PublicIP = netip.MustParseAddr("198.51.100.10") // documentation range: only written into SDP
	r := newRelay(t, cfg, nil)
	if err := r.OpenRoom("room-nat"); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t)
	c.publish("s")
	if err := c.join(r, "room-nat", media.RoleCitizen); err != nil {
		t.Fatal(err)
	}
	answer := c.pc.RemoteDescription().SDP
	var cands []string
	for _, line := range strings.Split(answer, "\n") {
		if strings.HasPrefix(line, "a=candidate:") {
			cands = append(cands, line)
		}
	}
	if len(cands) == 0 {
		t.Fatal("answer has no candidates: ICE gathering did not complete before answering")
	}
	for _, l := range cands {
		if !strings.Contains(l, " 198.51.100.10 ") || strings.Contains(l, "127.0.0.1") {
			t.Fatalf("candidate %q does not carry only the public IP", l)
		}
	}
}
