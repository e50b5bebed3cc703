package staff_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

var (
	userID  = domain.IDFrom[staff.UserID](uuid.MustParse("00000000-0000-0000-0000-0000000005a1"))
	officeX = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a1"))
	officeY = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a2"))
	t0      = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	hash1   = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
	hash2   = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI"
)

func created(roles ...staff.Role) staff.StaffUserCreated {
	return staff.StaffUserCreated{UserID: userID, Username: "anna.k", Roles: roles, Offices: []domain.OfficeID{officeX}, PasswordHash: hash1, CreatedAt: t0}
}

func TestCreate(t *testing.T) {
	cases := []struct {
		name    string
		cmd     staff.CreateCommand
		want    []domain.Event
		wantErr error
	}{
		{
			name: "clerk with offices, normalised",
			cmd: staff.CreateCommand{UserID: userID, Username: "  Anna.K ", Roles: []staff.Role{staff.RoleClerk, staff.RoleClerk},
				Offices: []domain.OfficeID{officeX, officeX}, PasswordHash: hash1},
			want: []domain.Event{created(staff.RoleClerk)},
		},
		{
			name: "roles sorted",
			cmd:  staff.CreateCommand{UserID: userID, Username: "anna.k", Roles: []staff.Role{staff.RoleClerk, staff.RoleAdmin}, Offices: []domain.OfficeID{officeX}, PasswordHash: hash1},
			want: []domain.Event{created(staff.RoleAdmin, staff.RoleClerk)},
		},
		{name: "zero id", cmd: staff.CreateCommand{Username: "anna", Roles: []staff.Role{staff.RoleAdmin}, PasswordHash: hash1}, wantErr: domain.ErrInvalidID},
		{name: "short username", cmd: staff.CreateCommand{UserID: userID, Username: "ab", Roles: []staff.Role{staff.RoleAdmin}, PasswordHash: hash1}, wantErr: staff.ErrInvalidUsername},
		{name: "username with space", cmd: staff.CreateCommand{UserID: userID, Username: "anna k", Roles: []staff.Role{staff.RoleAdmin}, PasswordHash: hash1}, wantErr: staff.ErrInvalidUsername},
		{name: "username with umlaut", cmd: staff.CreateCommand{UserID: userID, Username: "jürgen", Roles: []staff.Role{staff.RoleAdmin}, PasswordHash: hash1}, wantErr: staff.ErrInvalidUsername},
		{name: "username starting with dot", cmd: staff.CreateCommand{UserID: userID, Username: ".anna", Roles: []staff.Role{staff.RoleAdmin}, PasswordHash: hash1}, wantErr: staff.ErrInvalidUsername},
		{name: "no roles", cmd: staff.CreateCommand{UserID: userID, Username: "anna", PasswordHash: hash1}, wantErr: staff.ErrInvalidRole},
		{name: "plain password instead of hash", cmd: staff.CreateCommand{UserID: userID, Username: "anna", Roles: []staff.Role{staff.RoleAdmin}, PasswordHash: "secret"}, wantErr: staff.ErrInvalidPassword},
		{name: "offices for an auditor", cmd: staff.CreateCommand{UserID: userID, Username: "anna", Roles: []staff.Role{staff.RoleAuditor}, Offices: []domain.OfficeID{officeX}, PasswordHash: hash1}, wantErr: staff.ErrNotAClerk},
		{name: "zero office", cmd: staff.CreateCommand{UserID: userID, Username: "anna", Roles: []staff.Role{staff.RoleClerk}, Offices: []domain.OfficeID{{}}, PasswordHash: hash1}, wantErr: domain.ErrInvalidID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := staff.Create(c.cmd, t0)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("Create error = %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if got := u.Changes(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("changes = %#v\nwant %#v", got, c.want)
			}
			if u.Version() != 0 {
				t.Errorf("version = %d, want 0", u.Version())
			}
		})
	}
}

func TestBehaviour(t *testing.T) {
	disabled := staff.StaffUserDisabled{UserID: userID, DisabledAt: t0}
	cases := []struct {
		name    string
		given   []domain.Event
		when    func(*staff.User) error
		want    []domain.Event
		wantErr error
	}{
		{
			name: "change password", given: []domain.Event{created(staff.RoleClerk)},
			when: func(u *staff.User) error { return u.ChangePassword(hash2, t0) },
			want: []domain.Event{staff.StaffPasswordChanged{UserID: userID, PasswordHash: hash2, ChangedAt: t0}},
		},
		{
			name: "change password of disabled user", given: []domain.Event{created(staff.RoleClerk), disabled},
			when:    func(u *staff.User) error { return u.ChangePassword(hash2, t0) },
			wantErr: staff.ErrUserDisabled,
		},
		{
			name: "assign offices", given: []domain.Event{created(staff.RoleClerk)},
			when: func(u *staff.User) error { return u.AssignOffices([]domain.OfficeID{officeX, officeY}, t0) },
			want: []domain.Event{staff.StaffOfficesAssigned{UserID: userID, Offices: []domain.OfficeID{officeX, officeY}, AssignedAt: t0}},
		},
		{
			name: "assign the same offices again records nothing", given: []domain.Event{created(staff.RoleClerk)},
			when: func(u *staff.User) error { return u.AssignOffices([]domain.OfficeID{officeX}, t0) },
		},
		{
			name: "assign offices to an auditor", given: []domain.Event{func() domain.Event { e := created(staff.RoleAuditor); e.Offices = nil; return e }()},
			when:    func(u *staff.User) error { return u.AssignOffices([]domain.OfficeID{officeX}, t0) },
			wantErr: staff.ErrNotAClerk,
		},
		{
			name: "disable", given: []domain.Event{created(staff.RoleClerk)},
			when: func(u *staff.User) error { return u.Disable(t0) },
			want: []domain.Event{disabled},
		},
		{
			name: "disable twice records nothing", given: []domain.Event{created(staff.RoleClerk), disabled},
			when: func(u *staff.User) error { return u.Disable(t0) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := staff.FromEvents(c.given)
			if err != nil {
				t.Fatalf("FromEvents: %v", err)
			}
			if u.Version() != int64(len(c.given)) {
				t.Fatalf("version = %d, want %d", u.Version(), len(c.given))
			}
			err = c.when(u)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("error = %v, want %v", err, c.wantErr)
				}
				if len(u.Changes()) != 0 {
					t.Errorf("a refused command recorded %v", u.Changes())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Changes(); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("changes = %#v\nwant %#v", got, c.want)
			}
		})
	}
}

func TestFromEventsState(t *testing.T) {
	u, err := staff.FromEvents([]domain.Event{
		created(staff.RoleClerk),
		staff.StaffPasswordChanged{UserID: userID, PasswordHash: hash2, ChangedAt: t0},
		staff.StaffOfficesAssigned{UserID: userID, Offices: []domain.OfficeID{officeY}, AssignedAt: t0},
		staff.StaffUserDisabled{UserID: userID, DisabledAt: t0},
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID() != userID || u.Username() != "anna.k" || u.PasswordHash() != hash2 || !u.Disabled() ||
		!reflect.DeepEqual(u.Offices(), []domain.OfficeID{officeY}) || !u.HasRole(staff.RoleClerk) || u.HasRole(staff.RoleAdmin) {
		t.Errorf("unexpected state: %+v", u)
	}
	if u.ClerkID().UUID() != userID.UUID() {
		t.Errorf("clerk id %v differs from user id %v", u.ClerkID(), userID)
	}
}

func TestFromEventsRefusesBadStreams(t *testing.T) {
	if _, err := staff.FromEvents(nil); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("empty stream: %v, want ErrNotFound", err)
	}
	if _, err := staff.FromEvents([]domain.Event{staff.StaffUserDisabled{UserID: userID}}); !errors.Is(err, domain.ErrUnknownEvent) {
		t.Errorf("stream not starting with creation: %v, want ErrUnknownEvent", err)
	}
	if _, err := staff.FromEvents([]domain.Event{created(staff.RoleClerk), staff.StaffUsernameClaimed{}}); !errors.Is(err, domain.ErrUnknownEvent) {
		t.Errorf("claim event in user stream: %v, want ErrUnknownEvent", err)
	}
}

func TestUsernameStream(t *testing.T) {
	a, b := staff.UsernameStreamName("anna.k"), staff.UsernameStreamName("ANNA.K")
	if a != b {
		t.Errorf("case variants map to different streams: %s, %s", a, b)
	}
	if a == staff.UsernameStreamName("anna.j") {
		t.Error("different usernames share a stream")
	}
	if want := "staffusername-"; len(a) != len(want)+36 || a[:len(want)] != want {
		t.Errorf("stream %q: want %s<uuid>", a, want)
	}
	if staff.StreamName(userID) != "staff-"+userID.String() {
		t.Errorf("StreamName = %s", staff.StreamName(userID))
	}
	ev, err := staff.ClaimUsername(" Anna.K", userID, t0)
	if err != nil || ev.Username != "anna.k" || ev.UserID != userID {
		t.Errorf("ClaimUsername = %+v, %v", ev, err)
	}
}

func TestEventsRoundTripJSON(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range staff.EventTypes() {
		if seen[e.EventType()] {
			t.Errorf("duplicate event type %s", e.EventType())
		}
		seen[e.EventType()] = true
		if reflect.TypeOf(e).Kind() != reflect.Struct {
			t.Errorf("%s is not a value struct", e.EventType())
		}
	}
	in := created(staff.RoleAdmin, staff.RoleClerk)
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out staff.StaffUserCreated
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip changed the event: %+v", out)
	}
	var r staff.Role
	if err := json.Unmarshal([]byte(`"root"`), &r); err == nil {
		t.Error("unknown role decoded without error")
	}
}
