package callintegration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/adapters/mediabridge"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
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

var loopback = netip.MustParseAddr("127.0.0.1")

// system is the product wired as the composition root wires it.
type system struct {
	server  *httptest.Server
	store   *eventstore.Store
	now     atomic.Pointer[time.Time]
	office  domain.OfficeID
	service domain.ServiceID
	staff   *appstaff.Service
	relay   *media.Relay
}

func (s *system) clock() time.Time { return *s.now.Load() }

func (s *system) advance(d time.Duration) {
	t := s.clock().Add(d)
	s.now.Store(&t)
}

func start(t *testing.T) *system {
	t.Helper()
	s := &system{}
	s.now.Store(&monday10)
	ctx := context.Background()
	node, err := esdbnode.Start(ctx, esdbnode.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	client, err := esdbnodetest.Connect(node.ConnectionString())
	if err != nil {
		_ = node.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = client.Close()
		if err := node.Close(); err != nil {
			t.Errorf("close node: %v", err)
		}
	})
	reg, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	if s.store, err = eventstore.New(client, reg); err != nil {
		t.Fatal(err)
	}
	blobs, err := blobstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = blobs.Close() })
	clock := command.ClockFunc(s.clock)
	changes := readside.NewFanout(0)
	models := readmodel.New(readmodel.Config{Notifier: changes})
	app, err := application.New(application.Config{
		Store: s.store, TokenKey: bytes.Repeat([]byte{7}, 32), Blobs: blobs, Clock: clock,
		Queue: application.QueueReader{Queues: models.Queues, Clock: clock},
	})
	if err != nil {
		t.Fatal(err)
	}

	// The relay on loopback only, mDNS off (Pion's default for a relay that
	// gathers host candidates on ListenIPs), with ICE timeouts short enough
	// for a vanished client to be noticed within a second.
	bridge, err := mediabridge.New(media.Config{
		ListenIPs: []netip.Addr{loopback}, IncludeLoopback: true,
		ICEDisconnectedTimeout: 400 * time.Millisecond, ICEFailedTimeout: 600 * time.Millisecond,
		ICEKeepaliveInterval: 100 * time.Millisecond, NegotiationTimeout: 10 * time.Second,
	}, calls.Config{
		Env:    command.Env{Store: s.store, Clock: clock, IDs: command.CryptoIDs{}},
		Tokens: app.Tokens,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bridge.Close() })
	s.relay = bridge.Media

	handlers := models.Handlers()
	for _, p := range app.Policies {
		handlers = append(handlers, p)
	}
	handlers = append(handlers, bridge.Calls.Handler())
	quiet := slog.New(slog.DiscardHandler)
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: s.store, Types: reg, Handlers: handlers, StreamPrefixes: readmodel.StreamPrefixes, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	bctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = bus.Run(bctx) }()
	t.Cleanup(func() { cancel(); <-done })

	hasher, err := appstaff.NewHasher(appstaff.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if s.staff, err = appstaff.NewService(appstaff.Deps{Store: s.store, Hasher: hasher, Clock: clock, IDs: command.CryptoIDs{}}); err != nil {
		t.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{Now: s.clock, Logger: quiet}, httpapi.Deps{
		Staff: s.staff, Sessions: httpapi.NewMemorySessions(httpapi.SessionConfig{Now: s.clock}),
		Capabilities: httpapi.TokenCapabilities{Tokens: app.Tokens}, Ready: func(context.Context) error { return nil },
		App: app, Models: models, Changes: changes, Progress: bus, Calls: bridge.Calls,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Run(ctx, app.Commands.EstablishOffice); err != nil {
		t.Fatal(err)
	}
	first := seed.Offices()[0]
	s.office, s.service = first.OfficeID, first.Services[0].ID
	select {
	case <-bus.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("read side did not catch up")
	}
	s.server = httptest.NewServer(api.Handler())
	t.Cleanup(s.server.Close)
	return s
}

const clerkPassword = "integration password"

// clerk creates a clerk of the first office through application/staff and
// logs in through the API; it returns the session token.
func (s *system) clerk(t *testing.T, name string) string {
	t.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "test")
	if _, err := s.staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
		Username: name, Password: clerkPassword, Roles: []staff.Role{staff.RoleClerk}, Offices: []domain.OfficeID{s.office},
	}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Token string `json:"token"`
	}
	if st, b := s.call(t, "", http.MethodPost, "/auth/login", map[string]string{"username": name, "password": clerkPassword}, &out); st != http.StatusOK || out.Token == "" {
		t.Fatalf("login: %d %s", st, b)
	}
	return out.Token
}

// call sends a JSON request and decodes a JSON answer into out (if not nil).
func (s *system) call(t *testing.T, token, method, path string, body, out any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.server.URL+"/api/v1"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	if resp.StatusCode >= 500 || strings.Contains(string(b), ".go:") {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, b
}

// whip sends an SDP offer (or any body) to a WHIP URL with a join token.
func (s *system) whip(t *testing.T, method, url, token, offer string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.server.URL+url, strings.NewReader(offer))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/sdp")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

type callToken struct {
	Token         string `json:"token"`
	Role          string `json:"role"`
	ParticipantID string `json:"participantId"`
	WHIPURL       string `json:"whipUrl"`
}

func (s *system) callToken(t *testing.T, auth, path string, body any) callToken {
	t.Helper()
	var tok callToken
	if st, b := s.call(t, auth, http.MethodPost, path, body, &tok); st != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, st, b)
	}
	return tok
}

// caseEvents loads a case stream.
func (s *system) caseEvents(t *testing.T, stream string) []eventlog.RecordedEvent {
	t.Helper()
	evs, err := s.store.Load(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// waitFor polls cond until it holds (a hang guard, not a speed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
