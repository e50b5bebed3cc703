package staff_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

var (
	officeX = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a1"))
	officeY = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a2"))
	t0      = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
)

// cheap are argon2id parameters fast enough for tests.
var cheap = appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

func newService(t *testing.T) (*appstaff.Service, *memstore.Store) {
	t.Helper()
	h, err := appstaff.NewHasher(cheap, 2)
	if err != nil {
		t.Fatal(err)
	}
	store := memstore.New()
	svc, err := appstaff.NewService(appstaff.Deps{Store: store, Hasher: h, Clock: command.ClockFunc(func() time.Time { return t0 }), IDs: command.CryptoIDs{}})
	if err != nil {
		t.Fatal(err)
	}
	return svc, store
}

func adminCtx() command.Context {
	return command.Context{Actor: appstaff.AdminActor(domain.IDFrom[staff.UserID](uuid.New()))}
}

const pw = "correct horse battery"

func TestCreateAndLogin(t *testing.T) {
	svc, store := newService(t)
	ctx := context.Background()
	acc, err := svc.Create(ctx, adminCtx(), appstaff.CreateCommand{Username: "Anna.K", Password: pw, Roles: []staff.Role{staff.RoleClerk}, Offices: []domain.OfficeID{officeX}})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Username != "anna.k" || !acc.HasRole(staff.RoleClerk) || !reflect.DeepEqual(acc.Offices, []domain.OfficeID{officeX}) {
		t.Errorf("account = %+v", acc)
	}
	if got := store.Types(staff.StreamName(acc.ID)); !reflect.DeepEqual(got, []string{"StaffUserCreated"}) {
		t.Errorf("user stream types = %v", got)
	}
	if got := store.Types(staff.UsernameStreamName("anna.k")); !reflect.DeepEqual(got, []string{"StaffUsernameClaimed"}) {
		t.Errorf("claim stream types = %v", got)
	}
	for _, e := range store.Events(staff.StreamName(acc.ID)) {
		if strings.Contains(string(e.Data), pw) || strings.Contains(string(e.RawMetadata), pw) {
			t.Fatal("the plain password was stored")
		}
		if !strings.Contains(string(e.Data), "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Errorf("stored hash is not an argon2id PHC string: %s", e.Data)
		}
	}

	got, err := svc.VerifyLogin(ctx, "ANNA.K", pw)
	if err != nil || got.ID != acc.ID {
		t.Fatalf("VerifyLogin = %+v, %v", got, err)
	}
	for name, try := range map[string][2]string{
		"wrong password": {"anna.k", pw + "x"},
		"unknown user":   {"bernd", pw},
		"bad username":   {"<script>", pw},
		"empty password": {"anna.k", ""},
		"huge password":  {"anna.k", strings.Repeat("x", 10000)},
	} {
		if _, err := svc.VerifyLogin(ctx, try[0], try[1]); !errors.Is(err, staff.ErrInvalidCredentials) {
			t.Errorf("%s: VerifyLogin error = %v, want ErrInvalidCredentials", name, err)
		}
	}

	if _, err := svc.Disable(ctx, adminCtx(), acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.VerifyLogin(ctx, "anna.k", pw); !errors.Is(err, staff.ErrInvalidCredentials) {
		t.Errorf("disabled user: %v, want ErrInvalidCredentials", err)
	}
}

func TestCreateRefusals(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	if _, err := svc.Create(ctx, adminCtx(), appstaff.CreateCommand{Username: "anna", Password: pw, Roles: []staff.Role{staff.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		c       command.Context
		cmd     appstaff.CreateCommand
		wantErr error
	}{
		"same username other case": {adminCtx(), appstaff.CreateCommand{Username: "ANNA", Password: pw, Roles: []staff.Role{staff.RoleAuditor}}, staff.ErrUsernameTaken},
		"short password":           {adminCtx(), appstaff.CreateCommand{Username: "bernd", Password: "short", Roles: []staff.Role{staff.RoleAuditor}}, appstaff.ErrWeakPassword},
		"no roles":                 {adminCtx(), appstaff.CreateCommand{Username: "bernd", Password: pw}, staff.ErrInvalidRole},
		"no actor":                 {command.Context{}, appstaff.CreateCommand{Username: "bernd", Password: pw, Roles: []staff.Role{staff.RoleAuditor}}, command.ErrNoActor},
	}
	for name, c := range cases {
		if _, err := svc.Create(ctx, c.c, c.cmd); !errors.Is(err, c.wantErr) {
			t.Errorf("%s: error = %v, want %v", name, err, c.wantErr)
		}
	}
	if _, err := svc.VerifyLogin(ctx, "anna", pw); err != nil {
		t.Errorf("the first user no longer logs in: %v", err)
	}
}

func TestInterruptedCreateIsRepaired(t *testing.T) {
	svc, store := newService(t)
	ctx := context.Background()
	var fail atomic.Bool
	fail.Store(true)
	store.BeforeAppend = func(stream string) error {
		if strings.HasPrefix(stream, "staff-") && fail.Load() {
			return errors.New("injected failure")
		}
		return nil
	}
	cmd := appstaff.CreateCommand{Username: "clara", Password: pw, Roles: []staff.Role{staff.RoleAuditor}}
	if _, err := svc.Create(ctx, adminCtx(), cmd); err == nil {
		t.Fatal("Create succeeded despite the injected failure")
	}
	fail.Store(false)
	acc, err := svc.Create(ctx, adminCtx(), cmd)
	if err != nil {
		t.Fatalf("retry after an interrupted create: %v", err)
	}
	list, err := svc.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != acc.ID {
		t.Fatalf("List = %+v, %v; want the one repaired user", list, err)
	}
}

func TestManageAndList(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	clerk, err := svc.Create(ctx, adminCtx(), appstaff.CreateCommand{Username: "zoe", Password: pw, Roles: []staff.Role{staff.RoleClerk}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, adminCtx(), appstaff.CreateCommand{Username: "bob", Password: pw, Roles: []staff.Role{staff.RoleAuditor}}); err != nil {
		t.Fatal(err)
	}
	acc, err := svc.AssignOffices(ctx, adminCtx(), clerk.ID, []domain.OfficeID{officeX, officeY})
	if err != nil || len(acc.Offices) != 2 {
		t.Fatalf("AssignOffices = %+v, %v", acc, err)
	}
	if err := svc.SetPassword(ctx, adminCtx(), clerk.ID, "another long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.VerifyLogin(ctx, "zoe", pw); !errors.Is(err, staff.ErrInvalidCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := svc.VerifyLogin(ctx, "zoe", "another long password"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if err := svc.SetPassword(ctx, adminCtx(), clerk.ID, "short"); !errors.Is(err, appstaff.ErrWeakPassword) {
		t.Errorf("weak password: %v", err)
	}
	if _, err := svc.AssignOffices(ctx, adminCtx(), domain.IDFrom[staff.UserID](uuid.New()), nil); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
	list, err := svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Username != "bob" || list[1].Username != "zoe" || len(list[1].Offices) != 2 {
		t.Errorf("List = %+v", list)
	}
}

func TestSeedDemo(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	res, err := svc.SeedDemo(ctx, appstaff.DemoOptions{ClerkOffices: []domain.OfficeID{officeX}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Generated || len(res.Password) != 20 || !reflect.DeepEqual(res.Usernames, []string{"clerk", "auditor", "admin"}) {
		t.Fatalf("result = %+v", res)
	}
	roles := map[string]staff.Role{"clerk": staff.RoleClerk, "auditor": staff.RoleAuditor, "admin": staff.RoleAdmin}
	for name, role := range roles {
		acc, err := svc.VerifyLogin(ctx, name, res.Password)
		if err != nil || !acc.HasRole(role) || len(acc.Roles) != 1 {
			t.Errorf("%s: %+v, %v", name, acc, err)
		}
	}
	// A second start with a fixed password resets every demo user to it.
	res2, err := svc.SeedDemo(ctx, appstaff.DemoOptions{ClerkOffices: []domain.OfficeID{officeY}, Password: "fixed demo password"})
	if err != nil || res2.Generated {
		t.Fatalf("second seed = %+v, %v", res2, err)
	}
	acc, err := svc.VerifyLogin(ctx, "clerk", "fixed demo password")
	if err != nil || !reflect.DeepEqual(acc.Offices, []domain.OfficeID{officeY}) {
		t.Errorf("clerk after reseed = %+v, %v", acc, err)
	}
	if _, err := svc.SeedDemo(ctx, appstaff.DemoOptions{Password: "short"}); !errors.Is(err, appstaff.ErrWeakPassword) {
		t.Errorf("weak demo password: %v", err)
	}
}

func TestHasher(t *testing.T) {
	h, err := appstaff.NewHasher(cheap, 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, _ := h.Hash(ctx, pw)
	b, _ := h.Hash(ctx, pw)
	if a == b {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if ok, err := h.Verify(ctx, a, pw); !ok || err != nil {
		t.Errorf("Verify(right) = %v, %v", ok, err)
	}
	if ok, _ := h.Verify(ctx, a, pw+"!"); ok {
		t.Error("Verify(wrong) = true")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$!!"} {
		if ok, err := h.Verify(ctx, bad, pw); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want a refusal", bad, ok, err)
		}
	}
	if _, err := appstaff.NewHasher(appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 4, KeyLen: 32}, 1); err == nil {
		t.Error("a 4-byte salt was accepted")
	}
	def, err := appstaff.NewHasher(appstaff.DefaultParams, 1)
	if err != nil {
		t.Fatal(err)
	}
	if phc, _ := def.Hash(ctx, pw); !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("default PHC = %s", phc)
	}
}

func TestRandomPassword(t *testing.T) {
	a, err := appstaff.RandomPassword()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := appstaff.RandomPassword()
	if a == b || len(a) != 20 || appstaff.CheckPasswordPolicy(a) != nil {
		t.Errorf("RandomPassword = %q, %q", a, b)
	}
}
