// Package systemtest starts the whole product for integration and
// end-to-end tests exactly as `serve` does (adapters/system), on the real
// embedded event store node over gRPC and a loopback HTTP server, with a
// clock the test controls. It is for tests only and holds no wiring of its
// own: only the test-friendly settings differ from production.
package systemtest

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/adapters/system"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/seed"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// Monday10 is a Monday at 10:00 in Berlin, when the demo offices are open;
// the clock starts there.
var Monday10 = time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())

// Password is the password of every account Account creates.
const Password = "integration passwort 2026"

// FastHashing makes password hashing cheap for tests.
var FastHashing = appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// Loopback is the call relay on 127.0.0.1 only.
var Loopback = media.Config{ListenIPs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, IncludeLoopback: true}

// Options adjust Start; the zero value is a product with lenient rate limits
// and a clock that stands still at Monday10.
type Options struct {
	// Adjust changes the system's config before it is built (media, HTTP,
	// heartbeat, …). DataDir, TokenKey, Now and Hashing are already set.
	Adjust func(*system.Config)
	// RealTime lets the clock run on from Monday10 with real time.
	RealTime bool
	// KeepRateLimits keeps the production rate limits (default: lifted, so
	// tests can send many requests from one address).
	KeepRateLimits bool
}

// Stack is a running product.
type Stack struct {
	*system.System
	Node *esdbnodetest.Node
	// URL is the HTTP front door.
	URL     string
	Server  *httptest.Server
	Offices []offices.EstablishOffice // the seeded demo offices
	// Office and Service are the first demo office and its first service.
	Office  domain.OfficeID
	Service domain.ServiceID

	fixed  atomic.Pointer[time.Time]
	offset atomic.Int64 // RealTime: added to the real time since began
	began  time.Time
	real   bool
}

// Now is the stack's clock.
func (s *Stack) Now() time.Time {
	if s.real {
		return Monday10.Add(time.Since(s.began) + time.Duration(s.offset.Load()))
	}
	return *s.fixed.Load()
}

// Set moves a standing clock to t.
func (s *Stack) Set(t time.Time) { s.fixed.Store(&t) }

// Advance moves the clock on by d.
func (s *Stack) Advance(d time.Duration) {
	if s.real {
		s.offset.Add(int64(d))
		return
	}
	s.Set(s.Now().Add(d))
}

// Start wires and starts everything on a fresh embedded node, seeds the
// demo offices and waits until the read side shows them; t.Cleanup stops
// it.
func Start(t testing.TB, opts Options) *Stack {
	t.Helper()
	s := &Stack{Offices: seed.Offices(), began: time.Now(), real: opts.RealTime}
	s.Set(Monday10)
	s.Node = esdbnodetest.Start(t)
	cfg := s.config(t)
	if !opts.KeepRateLimits {
		cfg.HTTP.RateLimits = map[httpapi.RateClass]httpapi.RateLimit{}
		for class := range httpapi.DefaultRateLimits {
			cfg.HTTP.RateLimits[class] = httpapi.RateLimit{Every: time.Microsecond, Burst: 1_000_000}
		}
	}
	if opts.Adjust != nil {
		opts.Adjust(&cfg)
	}
	sys, cleanup, err := system.New(context.Background(), cfg, s.Node.Client)
	must(t, err)
	t.Cleanup(func() { _ = cleanup() })
	s.System = sys
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = sys.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	_, err = seed.Run(context.Background(), sys.App.Commands.EstablishOffice)
	must(t, err)
	s.Office, s.Service = s.Offices[0].OfficeID, s.Offices[0].Services[0].ID
	wait := time.Now().Add(30 * time.Second)
	select {
	case <-sys.CaughtUp():
	case <-time.After(time.Until(wait)):
		t.Fatal("systemtest: read side did not catch up")
	}
	// The seed's last event may still be on its way to the door model.
	for len(sys.Models.Doors.All(s.Now())) < len(s.Offices) {
		if time.Now().After(wait) {
			t.Fatal("systemtest: door model misses the seeded offices")
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.Server = httptest.NewServer(sys.Handler)
	s.Server.Client().Timeout = 60 * time.Second // a hung request fails the test
	t.Cleanup(s.Server.Close)
	s.URL = s.Server.URL
	return s
}

// config is the test-friendly configuration every instance starts from.
func (s *Stack) config(t testing.TB) system.Config {
	return system.Config{
		DataDir: t.TempDir(), TokenKey: []byte("systemtest capability key 32 bytes!"),
		Now: s.Now, Hashing: FastHashing, Media: Loopback,
	}
}

// Another builds a second instance of the product on the same node (as a
// second app process would be), sharing the capability key and the clock;
// its loops do not run. t.Cleanup closes it.
func (s *Stack) Another(t testing.TB) *system.System {
	t.Helper()
	sys, cleanup, err := system.New(context.Background(), s.config(t), s.Node.Client)
	must(t, err)
	t.Cleanup(func() { _ = cleanup() })
	return sys
}

// Account creates a staff account with Password.
func (s *Stack) Account(t testing.TB, username string, role staff.Role, offices ...domain.OfficeID) appstaff.Account {
	t.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "systemtest")
	acc, err := s.Staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
		Username: username, Password: Password, Roles: []staff.Role{role}, Offices: offices,
	})
	must(t, err)
	return acc
}

// Session signs an account in and returns its bearer token.
func (s *Stack) Session(t testing.TB, acc appstaff.Account) string {
	t.Helper()
	tok, _, err := s.Sessions.Create(context.Background(), acc.ID)
	must(t, err)
	return tok
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
