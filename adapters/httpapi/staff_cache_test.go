package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/application/command"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

type countingStaff struct {
	httpapi.StaffService
	gets int
}

func (c *countingStaff) Get(ctx context.Context, id staff.UserID) (appstaff.Account, error) {
	c.gets++
	return c.StaffService.Get(ctx, id)
}

func TestCachedStaffServesFreshAccountsAndForgetsChanges(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	inner := &countingStaff{StaffService: env.Staff}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	cache := httpapi.NewCachedStaff(inner, time.Second, func() time.Time { return now })
	id := env.Users[httpapitest.ClerkX].ID
	ctx := context.Background()
	for range 3 {
		if _, err := cache.Get(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if inner.gets != 1 {
		t.Fatalf("%d reads for 3 gets within the TTL, want 1", inner.gets)
	}
	now = now.Add(time.Second)
	if _, err := cache.Get(ctx, id); err != nil || inner.gets != 2 {
		t.Fatalf("after the TTL: %d reads (%v), want 2", inner.gets, err)
	}
	admin, _ := domain.NewActor(domain.RoleSystem, "test")
	if _, err := cache.AssignOffices(ctx, command.Context{Actor: admin}, id, []domain.OfficeID{domain.IDFrom[domain.OfficeID](env.OfficeY)}); err != nil {
		t.Fatal(err)
	}
	acc, err := cache.Get(ctx, id)
	if err != nil || len(acc.Offices) != 1 || acc.Offices[0].UUID() != env.OfficeY {
		t.Fatalf("after reassignment within the TTL: %+v (%v), want office Y", acc.Offices, err)
	}
}
