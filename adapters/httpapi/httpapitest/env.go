package httpapitest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// The principals of the authorisation matrix.
const (
	Anonymous = "anonymous"
	CitizenA  = "citizen-a"
	CitizenB  = "citizen-b"
	ClerkX    = "clerk-x"
	ClerkY    = "clerk-y"
	Auditor   = "auditor"
	Admin     = "admin"
)

// Principals lists every principal of the matrix.
var Principals = []string{Anonymous, CitizenA, CitizenB, ClerkX, ClerkY, Auditor, Admin}

// Password is the password of every seeded staff user.
const Password = "test password 123"

// Options adjust New.
type Options struct {
	Config httpapi.Config
	// Register adds routes (business or test-only) before the server starts.
	Register func(*httpapi.API)
	// Ready is the readiness check (default: ready).
	Ready func(context.Context) error
	// Pages are the server-rendered pages to serve beside the API (their
	// routes join the authorisation matrix).
	Pages httpapi.Pages
}

// Env is a running API with known principals.
type Env struct {
	API      *httpapi.API
	Server   *httptest.Server
	Staff    *appstaff.Service
	Sessions *httpapi.MemorySessions
	Clock    *Clock
	// OfficeX and OfficeY are the offices of clerk-x and clerk-y.
	OfficeX, OfficeY uuid.UUID
	// SubjectA and SubjectB are the visits/appointments/cases of citizen A
	// and B (one UUID per citizen, whatever the kind).
	SubjectA, SubjectB uuid.UUID
	// Users are the seeded staff users by principal name.
	Users map[string]appstaff.Account
	// App, Models and Changes are the business side behind the API: the
	// application on an in-memory store whose appends are projected into
	// the read models before Append returns (so the read side is always
	// caught up).
	App     *application.Application
	Models  *readmodel.Models
	Changes *readside.Fanout
	// Calls is the calls service behind the call routes, on CallRelay, a
	// stub that relays no media.
	Calls     *calls.Service
	CallRelay *StubRelay
	tokens    command.Tokens
	logs      *syncBuffer
	store     *memStore
}

// Clock is a settable clock, starting at a fixed instant.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the current fake time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// New starts an API on an httptest server; it is closed when t ends.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	clock := &Clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	hasher, err := appstaff.NewHasher(appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		t.Fatal(err)
	}
	store := newMemStore()
	svc, err := appstaff.NewService(appstaff.Deps{Store: store, Hasher: hasher, Clock: command.ClockFunc(clock.Now), IDs: command.CryptoIDs{}})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := command.NewHMACTokens([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	cfg := opts.Config
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	if cfg.RateLimits == nil {
		cfg.RateLimits = map[httpapi.RateClass]httpapi.RateLimit{}
		for class := range httpapi.DefaultRateLimits {
			cfg.RateLimits[class] = httpapi.RateLimit{Every: time.Millisecond, Burst: 1_000_000}
		}
	}
	ready := opts.Ready
	if ready == nil {
		ready = func(context.Context) error { return nil }
	}
	sessions := httpapi.NewMemorySessions(httpapi.SessionConfig{Now: clock.Now})
	changes := readside.NewFanout(0)
	models := readmodel.New(readmodel.Config{Notifier: changes})
	blobs, err := blobstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = blobs.Close() })
	projected := &projectingStore{memStore: store, handlers: models.Handlers()}
	app, err := application.New(application.Config{
		Store: projected, TokenKey: []byte(strings.Repeat("k", 32)), Blobs: blobs, Clock: command.ClockFunc(clock.Now),
		Queue: application.QueueReader{Queues: models.Queues, Clock: command.ClockFunc(clock.Now)},
	})
	if err != nil {
		t.Fatal(err)
	}
	callSvc, callRelay := newCalls(t, projected, app.Tokens, clock)
	api, err := httpapi.New(cfg, httpapi.Deps{
		Staff: svc, Sessions: sessions, Capabilities: httpapi.TokenCapabilities{Tokens: tokens}, Ready: ready,
		App: app, Models: models, Changes: changes, Progress: caughtUp{}, Calls: callSvc, Pages: opts.Pages,
	})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Register != nil {
		opts.Register(api)
	}
	e := &Env{
		API: api, Staff: svc, Sessions: sessions, Clock: clock, tokens: tokens, logs: logs,
		OfficeX: uuid.New(), OfficeY: uuid.New(), SubjectA: uuid.New(), SubjectB: uuid.New(),
		Users: map[string]appstaff.Account{}, App: app, Models: models, Changes: changes, store: store,
		Calls: callSvc, CallRelay: callRelay,
	}
	seed := []struct {
		name    string
		role    staff.Role
		offices []uuid.UUID
	}{{ClerkX, staff.RoleClerk, []uuid.UUID{e.OfficeX}}, {ClerkY, staff.RoleClerk, []uuid.UUID{e.OfficeY}}, {Auditor, staff.RoleAuditor, nil}, {Admin, staff.RoleAdmin, nil}}
	sys, _ := domain.NewActor(domain.RoleSystem, "test-seed")
	for _, s := range seed {
		var offices []domain.OfficeID
		for _, o := range s.offices {
			offices = append(offices, domain.IDFrom[domain.OfficeID](o))
		}
		acc, err := svc.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{Username: s.name, Password: Password, Roles: []staff.Role{s.role}, Offices: offices})
		if err != nil {
			t.Fatal(err)
		}
		e.Users[s.name] = acc
	}
	e.Server = httptest.NewServer(api.Handler())
	e.Server.Client().Timeout = 60 * time.Second // a hung request fails the test (generous: a 50 MiB upload under -race on a loaded CI machine takes seconds)
	t.Cleanup(e.Server.Close)
	return e
}

// Logs returns everything logged so far.
func (e *Env) Logs() string { return e.logs.String() }

// Credential returns the Authorization header value of a principal: a fresh
// session token for staff, the capability token of the subject of kind for
// citizens ("visit", "appointment", "case"), empty for anonymous.
func (e *Env) Credential(t testing.TB, principal, kind string) string {
	t.Helper()
	switch principal {
	case Anonymous:
		return ""
	case CitizenA:
		return "Bearer " + e.tokens.Token(kind, e.SubjectA)
	case CitizenB:
		return "Bearer " + e.tokens.Token(kind, e.SubjectB)
	}
	acc, ok := e.Users[principal]
	if !ok {
		t.Fatalf("unknown principal %q", principal)
	}
	tok, _, err := e.Sessions.Create(context.Background(), acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

// CapabilityToken returns the raw capability token of a subject.
func (e *Env) CapabilityToken(kind string, subject uuid.UUID) string {
	return e.tokens.Token(kind, subject)
}

// Do sends a request with the principal's credential and returns the
// response and its body.
func (e *Env) Do(t testing.TB, principal, kind, method, path string, body io.Reader, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.Server.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c := e.Credential(t, principal, kind); c != "" {
		req.Header.Set("Authorization", c)
	}
	resp, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		// An event stream does not end: return its first event only.
		return resp, firstEvent(resp.Body)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// firstEvent reads an event stream up to the end of its first event (a
// blank line after a data line), at most 1 MiB.
func firstEvent(r io.Reader) []byte {
	var out []byte
	br := bufio.NewReader(io.LimitReader(r, 1<<20))
	data := false
	for {
		line, err := br.ReadBytes('\n')
		out = append(out, line...)
		if err != nil {
			return out
		}
		if bytes.HasPrefix(line, []byte("data:")) {
			data = true
		}
		if data && len(bytes.TrimSpace(line)) == 0 {
			return out
		}
	}
}

// Events returns the events of a stream of the in-memory store (none for
// an unknown stream).
func (e *Env) Events(stream string) []eventlog.RecordedEvent {
	evs, _ := e.store.Load(context.Background(), stream)
	return evs
}
