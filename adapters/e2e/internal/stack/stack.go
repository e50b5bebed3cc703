// Package stack wires the whole product for end-to-end tests as the
// composition root does: the embedded event store node, the application,
// the read side, the staff service, the media relay with the calls
// service, the JSON API and the web pages (on the API's pipeline) on one
// loopback HTTP server. It is for tests only.
package stack

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/adapters/mediabridge"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/webbridge"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/seed"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// Monday10 is a Monday at 10:00 in Berlin, when the demo offices are open:
// the stack's clock starts there and runs with real time.
var Monday10 = time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())

// Password of every account Account creates.
const Password = "e2e passwort 2026"

// Stack is a running product.
type Stack struct {
	URL     string
	App     *application.Application
	Models  *readmodel.Models
	Staff   *appstaff.Service
	Ports   web.Ports
	Offices []offices.EstablishOffice // the seeded demo offices
	Now     func() time.Time
}

// Start wires and starts everything; t.Cleanup stops it.
func Start(t testing.TB) *Stack {
	t.Helper()
	began := time.Now()
	now := func() time.Time { return Monday10.Add(time.Since(began)) }
	s := &Stack{Offices: seed.Offices(), Now: now}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	node := esdbnodetest.Start(t)
	reg, err := eventstore.NewRegistry(application.EventTypes()...)
	must(t, err)
	store, err := eventstore.New(node.Client, reg)
	must(t, err)
	blobs, err := blobstore.Open(t.TempDir())
	must(t, err)
	t.Cleanup(func() { _ = blobs.Close() })
	clock := command.ClockFunc(now)
	fanout := readside.NewFanout(64)
	s.Models = readmodel.New(readmodel.Config{Notifier: fanout})
	key := bytes.Repeat([]byte{5}, 32)
	s.App, err = application.New(application.Config{
		Store: store, TokenKey: key, Blobs: blobs, Clock: clock,
		Queue: application.QueueReader{Queues: s.Models.Queues, Clock: clock},
	})
	must(t, err)
	codes := webbridge.NewCodeIndex()
	handlers := append(s.Models.Handlers(), codes)
	for _, p := range s.App.Policies {
		handlers = append(handlers, p)
	}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: store, Types: reg, Handlers: handlers, Logger: quiet})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = bus.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	hasher, err := appstaff.NewHasher(appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 2)
	must(t, err)
	s.Staff, err = appstaff.NewService(appstaff.Deps{Store: store, Hasher: hasher, Clock: clock, IDs: command.CryptoIDs{}})
	must(t, err)

	loopback := netip.MustParseAddr("127.0.0.1")
	br, err := mediabridge.New(media.Config{ListenIPs: []netip.Addr{loopback}, IncludeLoopback: true},
		calls.Config{Env: command.Env{Store: store, Clock: clock, IDs: command.CryptoIDs{}}, Tokens: s.App.Tokens, Logger: quiet})
	must(t, err)
	t.Cleanup(func() { _ = br.Close() })

	s.Ports, err = webbridge.New(webbridge.Deps{
		App: s.App, Models: s.Models, Notifier: fanout, Staff: s.Staff, Store: store, Progress: bus, Codes: codes,
		Calls: br.Calls, Now: now, Logger: quiet,
	})
	must(t, err)
	pages, err := web.New(web.Config{Ports: s.Ports, Now: now, Logger: quiet, Heartbeat: 2 * time.Second})
	must(t, err)
	api, err := httpapi.New(httpapi.Config{Now: now, Logger: quiet}, httpapi.Deps{
		Staff: s.Staff, Sessions: httpapi.NewMemorySessions(httpapi.SessionConfig{Now: now}),
		Capabilities: httpapi.TokenCapabilities{Tokens: s.App.Tokens},
		Ready:        func(context.Context) error { return nil },
		Pages:        pages,
		App:          s.App, Models: s.Models, Changes: fanout, Progress: bus, Calls: br.Calls,
	})
	must(t, err)

	_, err = seed.Run(context.Background(), s.App.Commands.EstablishOffice)
	must(t, err)
	rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer rcancel()
	select {
	case <-bus.Ready():
	case <-rctx.Done():
		t.Fatal("stack: read side did not catch up")
	}
	for len(s.Models.Doors.All(now())) < len(s.Offices) {
		if rctx.Err() != nil {
			t.Fatal("stack: door model misses the seeded offices")
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Account creates a staff account with Password.
func (s *Stack) Account(t testing.TB, username string, role staff.Role, offices ...domain.OfficeID) {
	t.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "e2e")
	_, err := s.Staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
		Username: username, Password: Password, Roles: []staff.Role{role}, Offices: offices,
	})
	must(t, err)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
