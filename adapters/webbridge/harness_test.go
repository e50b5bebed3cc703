package webbridge_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/webbridge"
	"github.com/buergerbuero/buergerbuero/application"
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

// monday10 is a Monday at 10:00 in Berlin: the demo offices are open.
var monday10 = time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())

const password = "webbridge test password"

// system is the application over the real embedded node, with the event
// bus feeding the read models, and the bridge's ports over it.
type system struct {
	ports   web.Ports
	app     *application.Application
	models  *readmodel.Models
	staff   *appstaff.Service
	now     atomic.Pointer[time.Time]
	offices []offices.EstablishOffice
}

func (s *system) clock() time.Time { return *s.now.Load() }

func (s *system) setNow(t time.Time) { s.now.Store(&t) }

func start(tb testing.TB) *system {
	tb.Helper()
	s := &system{offices: seed.Offices()}
	s.setNow(monday10)
	node := esdbnodetest.Start(tb)
	reg, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		tb.Fatal(err)
	}
	store, err := eventstore.New(node.Client, reg)
	if err != nil {
		tb.Fatal(err)
	}
	blobs, err := blobstore.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = blobs.Close() })
	clock := command.ClockFunc(s.clock)
	fanout := readside.NewFanout(64)
	s.models = readmodel.New(readmodel.Config{Notifier: fanout})
	s.app, err = application.New(application.Config{
		Store: store, TokenKey: bytes.Repeat([]byte{9}, 32), Blobs: blobs, Clock: clock,
		Queue: application.QueueReader{Queues: s.models.Queues, Clock: clock},
	})
	if err != nil {
		tb.Fatal(err)
	}
	codes := webbridge.NewCodeIndex()
	handlers := append(s.models.Handlers(), codes)
	for _, p := range s.app.Policies {
		handlers = append(handlers, p)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: store, Types: reg, Handlers: handlers, Logger: quiet})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = bus.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })

	hasher, err := appstaff.NewHasher(appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		tb.Fatal(err)
	}
	s.staff, err = appstaff.NewService(appstaff.Deps{Store: store, Hasher: hasher, Clock: clock, IDs: command.CryptoIDs{}})
	if err != nil {
		tb.Fatal(err)
	}
	s.ports, err = webbridge.New(webbridge.Deps{
		App: s.app, Models: s.models, Notifier: fanout, Staff: s.staff, Store: store, Progress: bus, Codes: codes,
		Now: s.clock, Logger: quiet,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.Run(context.Background(), s.app.Commands.EstablishOffice); err != nil {
		tb.Fatal(err)
	}
	rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer rcancel()
	select {
	case <-bus.Ready():
	case <-rctx.Done():
		tb.Fatal("read side did not catch up")
	}
	// The seed's last event may still be on its way to the door model.
	deadline := time.Now().Add(10 * time.Second)
	for len(s.models.Doors.All(s.clock())) < len(s.offices) {
		if time.Now().After(deadline) {
			tb.Fatal("door model misses seeded offices")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s
}

// account creates a staff account and signs it in through the port.
func (s *system) account(tb testing.TB, name string, role staff.Role, offices ...domain.OfficeID) web.Principal {
	tb.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "test")
	if _, err := s.staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
		Username: name, Password: password, Roles: []staff.Role{role}, Offices: offices,
	}); err != nil {
		tb.Fatal(err)
	}
	return s.signIn(tb, name)
}

// signIn is the principal the pages see after a sign-in (the API's
// session): the account's first role, its user name and offices.
func (s *system) signIn(tb testing.TB, name string) web.Principal {
	tb.Helper()
	acc, err := s.staff.VerifyLogin(context.Background(), name, password)
	if err != nil {
		tb.Fatal(err)
	}
	p := web.Principal{ID: acc.ID.String(), Role: acc.Roles[0].String(), Name: acc.Username}
	for _, o := range acc.Offices {
		p.Offices = append(p.Offices, o.String())
	}
	return p
}

// recv waits for a value on ch that satisfies ok.
func recv[T any](tb testing.TB, ch <-chan T, what string, ok func(T) bool) T {
	tb.Helper()
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case v, open := <-ch:
			if !open {
				tb.Fatalf("%s: channel closed", what)
			}
			if ok(v) {
				return v
			}
		case <-t.C:
			tb.Fatalf("%s: nothing arrived", what)
		}
	}
}
