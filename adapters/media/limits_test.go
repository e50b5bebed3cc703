package media_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

func TestJoinRefusals(t *testing.T) {
	cfg := testConfig()
	cfg.MaxParticipantsPerRoom = 3
	cfg.MaxRooms = 2
	cfg.MaxConnectionsPerClientAddr = 3
	r := newRelay(t, cfg, nil)
	citizen, _ := call(t, r, "room-a") // two real participants from 127.0.0.1
	if err := r.OpenRoom("room-b"); err != nil {
		t.Fatal(err)
	}

	other := netip.MustParseAddr("192.0.2.7") // only counted, never contacted
	join := func(room media.RoomID, role media.Role, addr netip.Addr) error {
		_, err := r.Join(t.Context(), media.JoinRequest{Room: room, Role: role, ClientAddr: addr, OfferSDP: "v=0"})
		return err
	}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"unknown room", join("room-x", media.RoleClerk, other), media.ErrUnknownRoom},
		{"second citizen", join("room-a", media.RoleCitizen, other), media.ErrRoleTaken},
		{"second clerk", join("room-a", media.RoleClerk, other), media.ErrRoleTaken},
		{"zero role", join("room-a", media.Role{}, other), media.ErrInvalidRequest},
		{"no address", join("room-a", media.RoleColleague, netip.Addr{}), media.ErrInvalidRequest},
		{"room already open", r.OpenRoom("room-a"), media.ErrRoomExists},
		{"too many rooms", r.OpenRoom("room-c"), media.ErrTooManyRooms},
		{"invalid offer", join("room-b", media.RoleCitizen, other), media.ErrInvalidSDP},
		{"bad close reason", r.CloseRoom("room-b", media.ReasonLeft), media.ErrInvalidRequest},
		{"leave unknown", r.Leave("room-a", "nobody"), media.ErrUnknownParticipant},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
		}
		var op *media.OpError
		if c.err != nil && !errors.As(c.err, &op) {
			t.Errorf("%s: %T is not an *OpError", c.name, c.err)
		}
	}

	// The third participant fills room-a (limit 3) and the address (limit 3).
	guest := newTestClient(t)
	if err := guest.join(r, "room-a", media.RoleInterpreter); err != nil {
		t.Fatalf("guest join: %v", err)
	}
	if err := join("room-a", media.RoleColleague, other); !errors.Is(err, media.ErrRoomFull) {
		t.Errorf("fourth participant: %v, want ErrRoomFull", err)
	}
	if err := join("room-b", media.RoleCitizen, loopback); !errors.Is(err, media.ErrTooManyConnections) {
		t.Errorf("fourth connection from one address: %v, want ErrTooManyConnections", err)
	}
	// Leaving frees the role, the room slot and the address slot.
	if err := r.Leave("room-a", citizen.id); err != nil {
		t.Fatal(err)
	}
	again := newTestClient(t)
	if err := again.join(r, "room-a", media.RoleCitizen); err != nil {
		t.Fatalf("citizen after the first left: %v", err)
	}
	if err := r.CloseRoom("room-b", media.ReasonAborted); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseRoom("room-b", media.ReasonAborted); !errors.Is(err, media.ErrRoomClosed) {
		t.Errorf("second close: %v, want ErrRoomClosed", err)
	}
	if err := r.OpenRoom("room-c"); err != nil {
		t.Errorf("room slot not freed by close: %v", err)
	}
}
