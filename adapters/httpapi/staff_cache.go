package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// CachedStaff is a StaffService that remembers accounts read by Get for a
// short time, so a staff request does not read the account's stream from
// the event store every time (it did, on every request). Changes made
// through it (offices, password, disable) drop the entry at once; changes
// made by another app instance are seen after at most TTL. Sessions of a
// disabled user are revoked by the disabling request anyway.
type CachedStaff struct {
	StaffService
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[staff.UserID]cachedAccount
}

type cachedAccount struct {
	acc appstaff.Account
	at  time.Time
}

// maxCachedAccounts bounds the cache; it is cleared when full.
const maxCachedAccounts = 10_000

// NewCachedStaff wraps s; ttl ≤ 0 means 2 s; now nil means time.Now.
func NewCachedStaff(s StaffService, ttl time.Duration, now func() time.Time) *CachedStaff {
	if ttl <= 0 {
		ttl = 2 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	return &CachedStaff{StaffService: s, ttl: ttl, now: now, entries: map[staff.UserID]cachedAccount{}}
}

// Get returns the account, from the cache while it is fresh.
func (c *CachedStaff) Get(ctx context.Context, id staff.UserID) (appstaff.Account, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.acc, nil
	}
	acc, err := c.StaffService.Get(ctx, id)
	if err != nil {
		return acc, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCachedAccounts {
		clear(c.entries)
	}
	c.entries[id] = cachedAccount{acc: acc, at: now}
	c.mu.Unlock()
	return acc, nil
}

func (c *CachedStaff) forget(id staff.UserID) {
	c.mu.Lock()
	delete(c.entries, id)
	c.mu.Unlock()
}

// AssignOffices implements StaffService and drops the cached account.
func (c *CachedStaff) AssignOffices(ctx context.Context, cc command.Context, id staff.UserID, offices []domain.OfficeID) (appstaff.Account, error) {
	defer c.forget(id)
	return c.StaffService.AssignOffices(ctx, cc, id, offices)
}

// SetPassword implements StaffService and drops the cached account.
func (c *CachedStaff) SetPassword(ctx context.Context, cc command.Context, id staff.UserID, password string) error {
	defer c.forget(id)
	return c.StaffService.SetPassword(ctx, cc, id, password)
}

// Disable implements StaffService and drops the cached account.
func (c *CachedStaff) Disable(ctx context.Context, cc command.Context, id staff.UserID) (appstaff.Account, error) {
	defer c.forget(id)
	return c.StaffService.Disable(ctx, cc, id)
}
