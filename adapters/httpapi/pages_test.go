package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
)

func TestRegisterPageRefusesRoutesWithoutAPermission(t *testing.T) {
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for name, register := range map[string]func(*httpapi.API){
		"no permission": func(a *httpapi.API) { httpapi.RegisterPage(a, "GET /p", httpapi.Permission{}, ok) },
		"office not a param": func(a *httpapi.API) {
			httpapi.RegisterPage(a, "GET /p", httpapi.Permission{Audience: httpapi.Clerk, OfficeParam: "office"}, ok)
		},
		"inside the API": func(a *httpapi.API) {
			httpapi.RegisterPage(a, "GET /api/v1/p", httpapi.Permission{Audience: httpapi.Anyone}, ok)
		},
		"idempotency keys": func(a *httpapi.API) {
			httpapi.RegisterPage(a, "POST /p", httpapi.Permission{Audience: httpapi.Anyone}, ok, httpapi.WithIdempotency())
		},
		"unknown rate": func(a *httpapi.API) {
			httpapi.RegisterPage(a, "POST /p", httpapi.Permission{Audience: httpapi.Anyone}, ok, httpapi.WithRateLimit("nope"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("registered without panicking")
				}
			}()
			httpapitest.New(t, httpapitest.Options{Register: register})
		})
	}
}

// TestEndedSessionTokenIsInvalidTokenOnEveryRoute: a Bearer session token
// that names no live session is 401 with error="invalid_token" on every
// operation, public ones included (RFC 6750 section 3.1).
func TestEndedSessionTokenIsInvalidTokenOnEveryRoute(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	_, s := login(t, env, httpapitest.ClerkX, nil)
	resp, _ := env.Do(t, httpapitest.Anonymous, "", http.MethodPost, "/api/v1/auth/logout", nil, bearer(s.Token))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	for name, tok := range map[string]string{"revoked": s.Token, "unknown": httpapi.NewSessionToken()} {
		for _, op := range httpapitest.Operations(env) {
			var body *strings.Reader
			if op.Method != http.MethodGet {
				body = strings.NewReader("{}")
			}
			var resp *http.Response
			if body != nil {
				resp, _ = env.Do(t, httpapitest.Anonymous, "", op.Method, env.FillPath(op), body, bearer(tok))
			} else {
				resp, _ = env.Do(t, httpapitest.Anonymous, "", op.Method, env.FillPath(op), nil, bearer(tok))
			}
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
				t.Errorf("%s token on %s: %d, WWW-Authenticate %q", name, op.Op.OperationID, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		}
	}
	// From a cookie (a browser sends it on its own) an ended session is
	// anonymous on public routes and invalid_token on staff routes.
	if got := status(t, env, http.MethodGet, "/api/v1/offices", cookie(s.Token)); got != http.StatusOK {
		t.Errorf("public route with an ended session's cookie: %d, want 200", got)
	}
	resp, _ = env.Do(t, httpapitest.Anonymous, "", http.MethodGet, "/api/v1/auth/me", nil, cookie(s.Token))
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("me with an ended session's cookie: %d, %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

func TestDocsCannotBeFramed(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	resp, _ := env.Do(t, httpapitest.Anonymous, "", http.MethodGet, "/docs", nil, nil)
	if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != http.StatusOK || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("/docs: %d, CSP %q", resp.StatusCode, csp)
	}
}
