package mediabridge_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/adapters/mediabridge"
	"github.com/buergerbuero/buergerbuero/application/calls"
)

var loopback = netip.MustParseAddr("127.0.0.1")

func relay(t *testing.T, obs media.Observer) *media.Relay {
	t.Helper()
	r, err := media.New(media.Config{ListenIPs: []netip.Addr{loopback}, IncludeLoopback: true}, obs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestRelayMapsErrorsToTheCallsPort(t *testing.T) {
	r := mediabridge.Relay{R: relay(t, nil)}
	if err := r.OpenRoom("room"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, c := range map[string]struct {
		err  error
		want error
	}{
		"open twice":       {r.OpenRoom("room"), calls.ErrRoomExists},
		"leave unknown":    {r.Leave("room", "nobody"), calls.ErrUnknownParticipant},
		"unknown room":     {r.Leave("elsewhere", "nobody"), calls.ErrUnknownRoom},
		"close bad reason": {r.CloseRoom("room", calls.ReasonLeft), nil},
		"no TURN":          {func() error { _, err := r.ICEServers("p"); return err }(), calls.ErrNoTURN},
		"garbage offer": {func() error {
			_, err := r.Join(ctx, calls.JoinRequest{Room: "room", Role: calls.RoleCitizen, ClientAddr: loopback, OfferSDP: "v=0 nonsense"})
			return err
		}(), calls.ErrInvalidOffer},
		"renegotiate nobody": {func() error { _, err := r.Renegotiate(ctx, "room", "nobody", "x"); return err }(), calls.ErrUnknownParticipant},
	} {
		switch {
		case c.want == nil && c.err == nil:
			t.Errorf("%s: no error", name)
		case c.want != nil && !errors.Is(c.err, c.want):
			t.Errorf("%s: %v, want %v", name, c.err, c.want)
		}
	}
	if err := r.CloseRoom("room", calls.ReasonCompleted); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseRoom("room", calls.ReasonCompleted); !errors.Is(err, calls.ErrCallEnded) {
		t.Fatalf("close twice: %v, want ErrCallEnded", err)
	}
	if err := r.OpenRoom("room"); !errors.Is(err, calls.ErrCallEnded) {
		t.Fatalf("reopen a closed room: %v, want ErrCallEnded", err)
	}
}

type recorder struct{ got chan string }

func (r recorder) CallStarted(room string, _ time.Time) { r.got <- "started " + room }
func (r recorder) ParticipantJoined(room, p string, role calls.Role) {
	r.got <- "joined " + room + " " + p + " " + role.String()
}
func (r recorder) ParticipantLeft(room, p string, role calls.Role, why calls.Reason) {
	r.got <- "left " + room + " " + p + " " + role.String() + " " + why.String()
}
func (r recorder) CallEnded(room string, _ time.Duration, why calls.Reason) {
	r.got <- "ended " + room + " " + why.String()
}

func TestObserverForwardsInPlainTypes(t *testing.T) {
	var o mediabridge.Observer
	o.CallStarted("dropped", time.Now()) // before Attach: nowhere to go
	rec := recorder{got: make(chan string, 8)}
	o.Attach(rec)
	o.CallStarted("r", time.Now())
	o.ParticipantJoined("r", "p", media.RoleInterpreter)
	o.ParticipantLeft("r", "p", media.RoleInterpreter, media.ReasonConnectionLost)
	o.CallEnded("r", time.Second, media.ReasonCompleted)
	close(rec.got)
	var got []string
	for s := range rec.got {
		got = append(got, s)
	}
	want := []string{"started r", "joined r p interpreter", "left r p interpreter connection_lost", "ended r completed"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

func TestICEServersCarryTURNCredentialsForTheParticipant(t *testing.T) {
	r, err := media.New(media.Config{
		ListenIPs: []netip.Addr{loopback}, IncludeLoopback: true,
		TURN: &media.TURNConfig{ListenAddr: netip.AddrPortFrom(loopback, 0), RelayIP: loopback, Secret: "a test secret of 32 bytes, long!"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	list, err := mediabridge.Relay{R: r}.ICEServers("participant-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || len(list[0].URLs) != 1 || !strings.HasPrefix(list[0].URLs[0], "turn:127.0.0.1:") ||
		!strings.HasSuffix(list[0].Username, ":participant-1") || list[0].Credential == "" {
		t.Fatalf("ICE servers %+v", list)
	}
}
