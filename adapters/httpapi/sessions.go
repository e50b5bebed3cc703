package httpapi

import (
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// Session is a signed-in staff user's session.
type Session struct {
	UserID    staff.UserID
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // the earlier of the idle and the absolute expiry
}

// ErrNoSession: the token names no live session (unknown, expired, revoked).
var ErrNoSession = errors.New("httpapi: no such session")

// Sessions keeps staff sessions. Login creates one for a user that an
// identity provider vouched for (the password login of application/staff
// today, an OIDC provider later); the API only ever sees session tokens.
type Sessions interface {
	// Create starts a session and returns its token.
	Create(ctx context.Context, user staff.UserID) (token string, s Session, err error)
	// Lookup returns the live session of token and extends its idle expiry.
	Lookup(ctx context.Context, token string) (Session, error)
	// Revoke ends the session of token; an unknown token is not an error.
	Revoke(ctx context.Context, token string) error
	// RevokeUser ends every session of a user (disabled accounts).
	RevokeUser(ctx context.Context, user staff.UserID) error
}

// SessionConfig configures MemorySessions.
type SessionConfig struct {
	Idle     time.Duration    // default 30 min
	Absolute time.Duration    // default 12 h
	Max      int              // most live sessions kept; default 100 000
	Now      func() time.Time // default time.Now
}

// MemorySessions keeps sessions in this process's memory, keyed by the
// SHA-256 of their token (the token itself is never stored). Sessions end
// with a restart, and several app instances need sticky sessions or a
// shared implementation of Sessions.
type MemorySessions struct {
	cfg  SessionConfig
	mu   sync.Mutex
	byID map[string]*sessionEntry
	exp  expiryHeap // absolute expiry order, to evict the oldest when full
}

type sessionEntry struct {
	hash string
	s    Session
	abs  time.Time
	idx  int
}

// NewMemorySessions applies defaults to cfg.
func NewMemorySessions(cfg SessionConfig) *MemorySessions {
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.Absolute <= 0 {
		cfg.Absolute = 12 * time.Hour
	}
	if cfg.Max <= 0 {
		cfg.Max = 100_000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &MemorySessions{cfg: cfg, byID: map[string]*sessionEntry{}}
}

// Create implements Sessions. When full, expired sessions go first, then
// the oldest.
func (m *MemorySessions) Create(_ context.Context, user staff.UserID) (string, Session, error) {
	token := NewSessionToken()
	now := m.cfg.Now()
	e := &sessionEntry{hash: HashToken(token), abs: now.Add(m.cfg.Absolute)}
	e.s = Session{UserID: user, CreatedAt: now, LastSeen: now, ExpiresAt: minTime(now.Add(m.cfg.Idle), e.abs)}
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.exp) > 0 && !now.Before(m.exp[0].abs) { // sweep ended sessions
		m.removeLocked(m.exp[0])
	}
	for len(m.byID) >= m.cfg.Max {
		m.removeLocked(m.exp[0])
	}
	m.byID[e.hash] = e
	heap.Push(&m.exp, e)
	return token, e.s, nil
}

// Lookup implements Sessions.
func (m *MemorySessions) Lookup(_ context.Context, token string) (Session, error) {
	if len(token) > maxTokenLen || !isSessionToken(token) {
		return Session{}, ErrNoSession
	}
	now := m.cfg.Now()
	key := tokenHash(token) // outside the lock
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byID[string(key[:])]
	if !ok {
		return Session{}, ErrNoSession
	}
	if !now.Before(e.s.ExpiresAt) {
		m.removeLocked(e)
		return Session{}, ErrNoSession
	}
	e.s.LastSeen = now
	e.s.ExpiresAt = minTime(now.Add(m.cfg.Idle), e.abs)
	return e.s, nil
}

// Revoke implements Sessions.
func (m *MemorySessions) Revoke(_ context.Context, token string) error {
	key := tokenHash(token)
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.byID[string(key[:])]; ok {
		m.removeLocked(e)
	}
	return nil
}

// RevokeUser implements Sessions.
func (m *MemorySessions) RevokeUser(_ context.Context, user staff.UserID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.byID {
		if e.s.UserID == user {
			m.removeLocked(e)
		}
	}
	return nil
}

// Len returns the number of sessions kept (live or not yet swept).
func (m *MemorySessions) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID)
}

func (m *MemorySessions) removeLocked(e *sessionEntry) {
	delete(m.byID, e.hash)
	heap.Remove(&m.exp, e.idx)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

type expiryHeap []*sessionEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].abs.Before(h[j].abs) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i]; h[i].idx = i; h[j].idx = j }
func (h *expiryHeap) Push(x any)        { e := x.(*sessionEntry); e.idx = len(*h); *h = append(*h, e) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
