// Package integration_test runs the HTTP API against the real embedded
// event store node over gRPC, with the event bus feeding the read models,
// over real HTTP.
package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/system/systemtest"

	"github.com/buergerbuero/buergerbuero/application/command"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// monday10 is a Monday at 10:00 in Berlin: the demo offices are open.
var monday10 = systemtest.Monday10

type system struct {
	*systemtest.Stack
	server  *httptest.Server
	office  domain.OfficeID
	service domain.ServiceID
}

// start runs the product through the one system constructor on a real
// embedded node, over real HTTP.
func start(tb testing.TB) *system {
	tb.Helper()
	st := systemtest.Start(tb, systemtest.Options{})
	return &system{Stack: st, server: st.Server, office: st.Office, service: st.Service}
}

// clerk creates a clerk of the first office and returns its bearer token.
func (s *system) clerk(tb testing.TB, name string) string {
	tb.Helper()
	sys, _ := domain.NewActor(domain.RoleSystem, "test")
	acc, err := s.Staff.Create(context.Background(), command.Context{Actor: sys}, appstaff.CreateCommand{
		Username: name, Password: "integration password", Roles: []staff.Role{staff.RoleClerk}, Offices: []domain.OfficeID{s.office},
	})
	if err != nil {
		tb.Fatal(err)
	}
	tok, _, err := s.Sessions.Create(context.Background(), acc.ID)
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
