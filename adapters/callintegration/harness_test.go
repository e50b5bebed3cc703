package callintegration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	product "github.com/buergerbuero/buergerbuero/adapters/system"
	"github.com/buergerbuero/buergerbuero/adapters/system/systemtest"

	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// system is the product wired by the one system constructor.
type system struct {
	*systemtest.Stack
	server  *httptest.Server
	office  domain.OfficeID
	service domain.ServiceID
	relay   *media.Relay
}

func (s *system) advance(d time.Duration) { s.Advance(d) }

// start runs the product with the relay on loopback only, mDNS off (Pion's
// default for a relay that gathers host candidates on ListenIPs), with ICE
// timeouts short enough for a vanished client to be noticed within a
// second.
func start(t *testing.T) *system {
	t.Helper()
	st := systemtest.Start(t, systemtest.Options{Adjust: func(c *product.Config) {
		c.Media = systemtest.Loopback
		c.Media.ICEDisconnectedTimeout = 400 * time.Millisecond
		c.Media.ICEFailedTimeout = 600 * time.Millisecond
		c.Media.ICEKeepaliveInterval = 100 * time.Millisecond
		c.Media.NegotiationTimeout = 10 * time.Second
	}})
	return &system{Stack: st, server: st.Server, office: st.Office, service: st.Service, relay: st.Relay}
}

const clerkPassword = "integration password"

// clerk creates a clerk of the first office through application/staff and
// logs in through the API; it returns the session token.
func (s *system) clerk(t *testing.T, name string) string {
	t.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "test")
	if _, err := s.Staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
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
	evs, err := s.Store.Load(context.Background(), stream)
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
