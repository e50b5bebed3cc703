// Package integration_test runs the HTTP API against the real embedded
// event store node over gRPC, with the event bus feeding the read models,
// over real HTTP.
package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/command"
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

type system struct {
	server  *httptest.Server
	now     atomic.Pointer[time.Time]
	office  domain.OfficeID
	service domain.ServiceID
	staff   *appstaff.Service
	session *httpapi.MemorySessions
	changes *readside.Fanout
}

func (s *system) clock() time.Time { return *s.now.Load() }

// start wires the product as the composition root does: node, store,
// application, read models, event bus, staff and the API.
func start(tb testing.TB) *system {
	tb.Helper()
	s := &system{}
	s.now.Store(&monday10)
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
	s.changes = readside.NewFanout(0)
	models := readmodel.New(readmodel.Config{Notifier: s.changes})
	app, err := application.New(application.Config{
		Store: store, TokenKey: bytes.Repeat([]byte{7}, 32), Blobs: blobs, Clock: clock,
		Queue: application.QueueReader{Queues: models.Queues, Clock: clock},
	})
	if err != nil {
		tb.Fatal(err)
	}
	handlers := models.Handlers()
	for _, p := range app.Policies {
		handlers = append(handlers, p)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: store, Types: reg, Handlers: handlers, StreamPrefixes: append(readmodel.StreamPrefixes, "visit-"), Logger: quiet})
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
	s.session = httpapi.NewMemorySessions(httpapi.SessionConfig{Now: s.clock})
	api, err := httpapi.New(httpapi.Config{
		Now: s.clock, Logger: quiet,
		RateLimits: map[httpapi.RateClass]httpapi.RateLimit{
			httpapi.RateLogin: {Every: time.Microsecond, Burst: 1_000_000},
			httpapi.RateKnock: {Every: time.Microsecond, Burst: 1_000_000},
		},
	}, httpapi.Deps{
		Staff: httpapi.NewCachedStaff(s.staff, 0, nil), Sessions: s.session, Capabilities: httpapi.TokenCapabilities{Tokens: app.Tokens},
		Ready: func(context.Context) error { return nil },
		App:   app, Models: models, Changes: s.changes, Progress: bus,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.Run(context.Background(), app.Commands.EstablishOffice); err != nil {
		tb.Fatal(err)
	}
	first := seed.Offices()[0]
	s.office, s.service = first.OfficeID, first.Services[0].ID
	rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer rcancel()
	select {
	case <-bus.Ready():
	case <-rctx.Done():
		tb.Fatal("read side did not catch up")
	}
	s.server = httptest.NewServer(api.Handler())
	tb.Cleanup(s.server.Close)
	return s
}

// clerk creates a clerk of the first office and returns its bearer token.
func (s *system) clerk(tb testing.TB, name string) string {
	tb.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "test")
	acc, err := s.staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
		Username: name, Password: "integration password", Roles: []staff.Role{staff.RoleClerk}, Offices: []domain.OfficeID{s.office},
	})
	if err != nil {
		tb.Fatal(err)
	}
	tok, _, err := s.session.Create(context.Background(), acc.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// call sends a JSON request and decodes a JSON answer into out (if not nil).
func (s *system) call(tb testing.TB, token, method, path string, body any, out any) int {
	tb.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.server.URL+"/api/v1"+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.server.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	if resp.StatusCode >= 500 || strings.Contains(string(b), ".go:") {
		tb.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode
}

type knocked struct {
	VisitID string `json:"visitId"`
	Token   string `json:"token"`
}

func (s *system) knock(tb testing.TB) knocked {
	tb.Helper()
	var k knocked
	if st := s.call(tb, "", http.MethodPost, "/offices/"+s.office.String()+"/visits", map[string]any{"serviceId": s.service.String(), "displayName": "Ada"}, &k); st != http.StatusCreated {
		tb.Fatalf("knock: %d", st)
	}
	return k
}
