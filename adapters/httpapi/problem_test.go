package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

func TestProblemFor(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"not found", domain.NotFound("visit_not_found", "visit not found"), 404, "visit_not_found"},
		{"conflict", domain.Conflict("visit_already_admitted", "already admitted"), 409, "visit_already_admitted"},
		{"precondition", domain.Precondition("door_closed", "door closed"), 409, "door_closed"},
		{"invalid wrapped", domain.Wrapf(domain.ErrInvalidID, "%q", "x"), 422, "invalid_id"},
		{"forbidden", domain.Forbidden("not_your_case", "no"), 403, "not_your_case"},
		{"invalid credentials", staff.ErrInvalidCredentials, 401, "invalid_credentials"},
		{"store conflict", &eventlog.OpError{Op: "append", Stream: "visit-1", Err: eventlog.ErrConflict}, 409, "concurrent_change"},
		{"command conflict", &command.ConflictError{Stream: "visit-1", Err: eventlog.ErrConflict}, 409, "concurrent_change"},
		{"stream not found", fmt.Errorf("load: %w", eventlog.ErrStreamNotFound), 404, "not_found"},
		{"deadline", context.DeadlineExceeded, 503, "unavailable"},
		{"store cannot write", &eventlog.OpError{Op: "append", Stream: "visit-1", Err: fmt.Errorf("%w: disk full", eventlog.ErrUnavailable)}, 503, "unavailable"},
		{"unexpected", errors.New("dial tcp 10.0.0.1: refused"), 500, "internal"},
		{"problem passes through", httpapi.NewProblem(429, httpapi.CodeRateLimited, "slow down"), 429, "rate_limited"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := httpapi.ProblemFor(c.err)
			if p.Status != c.status || p.Code != c.code || p.Type != httpapi.ProblemTypePrefix+c.code {
				t.Errorf("ProblemFor = %d %s %s, want %d %s", p.Status, p.Code, p.Type, c.status, c.code)
			}
			if p.Status >= 500 && p.Detail != "" {
				t.Errorf("a server error carries detail %q", p.Detail)
			}
			if p.Title != http.StatusText(c.status) {
				t.Errorf("title %q", p.Title)
			}
		})
	}
}

func failing(err error) func(context.Context, *struct{}) (*probeOut, error) {
	return func(context.Context, *struct{}) (*probeOut, error) { return nil, err }
}

func registerFailures(api *httpapi.API) {
	get := func(id, path string) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodGet, Path: path}
	}
	httpapi.Register(api, get("fail-panic", "/fail/panic"), httpapi.Permission{Audience: httpapi.Anyone},
		func(context.Context, *struct{}) (*probeOut, error) { panic("citizen Erika Mustermann, Hauptstr. 1") })
	httpapi.Register(api, get("fail-internal", "/fail/internal"), httpapi.Permission{Audience: httpapi.Anyone},
		failing(errors.New("event store down at stream visit-123")))
	httpapi.Register(api, get("fail-domain", "/fail/domain"), httpapi.Permission{Audience: httpapi.Anyone},
		failing(domain.Precondition("door_closed", "the door does not accept knocks now")))
}

func TestProblemsOverHTTP(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Register: registerFailures})
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"panic", "GET", "/api/v1/fail/panic", "", 500, "internal"},
		{"internal error", "GET", "/api/v1/fail/internal", "", 500, "internal"},
		{"domain error", "GET", "/api/v1/fail/domain", "", 409, "door_closed"},
		{"unknown API path", "GET", "/api/v1/nothing/here", "", 404, "not_found"},
		{"wrong method", "DELETE", "/api/v1/auth/login", "", 405, "method_not_allowed"},
		{"unknown path outside the API", "GET", "/nothing", "", 404, "not_found"},
		{"bad JSON", "POST", "/api/v1/auth/login", `{"username":`, 400, ""},
		{"missing fields", "POST", "/api/v1/auth/login", `{}`, 422, "validation_failed"},
		{"wrong types", "POST", "/api/v1/auth/login", `{"username":1,"password":[]}`, 422, "validation_failed"},
		{"body too large", "POST", "/api/v1/auth/login", `{"username":"` + strings.Repeat("a", 70<<10) + `"}`, 413, "body_too_large"},
		{"wrong credentials", "POST", "/api/v1/auth/login", `{"username":"admin","password":"wrong password!"}`, 401, "invalid_credentials"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body *strings.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			var resp *http.Response
			var b []byte
			if body != nil {
				resp, b = env.Do(t, httpapitest.Anonymous, "", c.method, c.path, body, nil)
			} else {
				resp, b = env.Do(t, httpapitest.Anonymous, "", c.method, c.path, nil, nil)
			}
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			p := decodeProblem(t, b)
			if c.code != "" && p.Code != c.code {
				t.Errorf("code %q, want %q", p.Code, c.code)
			}
			if p.Status != c.status || !strings.HasPrefix(p.Type, httpapi.ProblemTypePrefix) || p.Instance != "urn:uuid:"+resp.Header.Get("X-Request-ID") {
				t.Errorf("problem %+v does not match status/type/instance", p)
			}
			for _, leak := range []string{"goroutine", ".go:", "Mustermann", "visit-123", "panic"} {
				if strings.Contains(string(b), leak) {
					t.Errorf("response leaks %q: %s", leak, b)
				}
			}
		})
	}
	logs := env.Logs()
	if !strings.Contains(logs, "panic recovered") || !strings.Contains(logs, "fail-panic") {
		t.Errorf("the panic was not logged with its route: %s", logs)
	}
	if strings.Contains(logs, "Mustermann") {
		t.Error("the log holds the panic value (personal data)")
	}
}

// Validation problems name the field but never echo the rejected value.
func TestValidationProblemListsFieldsWithoutValues(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	secret := "Geheimes-Passwort-" + strings.Repeat("x", 300)
	resp, b := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login",
		strings.NewReader(`{"username":"admin","password":"`+secret+`","extra":1}`), nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	p := decodeProblem(t, b)
	var locs []string
	for _, e := range p.Errors {
		locs = append(locs, e.Location)
	}
	if !strings.Contains(strings.Join(locs, ","), "body.password") {
		t.Errorf("field errors %v do not name body.password", locs)
	}
	if strings.Contains(string(b), "Geheimes") {
		t.Errorf("the rejected password is echoed: %s", b)
	}
	if strings.Contains(env.Logs(), "Geheimes") {
		t.Error("the rejected password is logged")
	}
}
