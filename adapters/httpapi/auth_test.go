package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

type session struct {
	Token     string            `json:"token"`
	ExpiresAt time.Time         `json:"expiresAt"`
	User      httpapi.StaffUser `json:"user"`
}

func login(t *testing.T, env *httpapitest.Env, username string, header http.Header) (*http.Response, session) {
	t.Helper()
	resp, b := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login",
		strings.NewReader(`{"username":"`+username+`","password":"`+httpapitest.Password+`"}`), header)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, resp.StatusCode, b)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return resp, s
}

func status(t *testing.T, env *httpapitest.Env, method, path string, header http.Header) int {
	t.Helper()
	resp, _ := env.Do(t, httpapitest.Anonymous, "", method, path, nil, header)
	return resp.StatusCode
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
func cookie(tok string) http.Header {
	return http.Header{"Cookie": {httpapi.SessionCookie + "=" + tok}}
}

func TestLoginSessionLifecycle(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	resp, s := login(t, env, "Clerk-X", nil)
	if !strings.HasPrefix(s.Token, httpapi.SessionTokenPrefix) || len(s.Token) < len(httpapi.SessionTokenPrefix)+43 {
		t.Errorf("token %q is not a 256-bit session token", s.Token)
	}
	if s.User.Username != "clerk-x" || s.User.Roles[0] != "clerk" || s.User.Offices[0] != env.OfficeX.String() {
		t.Errorf("user %+v", s.User)
	}
	if want := env.Clock.Now().Add(30 * time.Minute); !s.ExpiresAt.Equal(want) {
		t.Errorf("expiresAt %v, want %v", s.ExpiresAt, want)
	}
	c := resp.Cookies()
	if len(c) != 1 || c[0].Name != httpapi.SessionCookie || c[0].Value != s.Token || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", c)
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", cookie(s.Token)); got != 200 {
		t.Errorf("me with cookie: %d", got)
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s.Token)); got != 200 {
		t.Errorf("me with bearer: %d", got)
	}

	// Logging in again with the old session rotates it.
	_, s2 := login(t, env, "clerk-x", cookie(s.Token))
	if s2.Token == s.Token {
		t.Fatal("login did not issue a new token")
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s.Token)); got != 401 {
		t.Errorf("old token after rotation: %d, want 401", got)
	}

	// Idle timeout: 29 minutes keep it alive, then 31 minutes of silence end it.
	env.Clock.Advance(29 * time.Minute)
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s2.Token)); got != 200 {
		t.Errorf("after 29 min: %d", got)
	}
	env.Clock.Advance(31 * time.Minute)
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s2.Token)); got != 401 {
		t.Errorf("after 31 idle min: %d, want 401", got)
	}

	// Logout ends the session and clears the cookie.
	_, s3 := login(t, env, "clerk-x", nil)
	resp, _ = env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/logout", nil, bearer(s3.Token))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if c := resp.Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("logout cookie %+v does not clear the session cookie", c)
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s3.Token)); got != 401 {
		t.Errorf("after logout: %d, want 401", got)
	}
}

func TestSecureCookieByConfig(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Config: httpapi.Config{SecureCookies: true}})
	resp, _ := login(t, env, "admin", nil)
	if c := resp.Cookies(); len(c) != 1 || !c[0].Secure {
		t.Errorf("cookie %+v is not Secure", c)
	}
}

func TestDisabledUserLosesSessionAtOnce(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	_, s := login(t, env, "auditor", nil)
	id := env.Users[httpapitest.Auditor].ID.String()
	resp, b := env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users/"+id+"/disable", nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("disable: %d %s", resp.StatusCode, b)
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s.Token)); got != 401 {
		t.Errorf("disabled user's session: %d, want 401", got)
	}
	resp, _ = env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login",
		strings.NewReader(`{"username":"auditor","password":"`+httpapitest.Password+`"}`), nil)
	if resp.StatusCode != 401 {
		t.Errorf("disabled user's login: %d, want 401", resp.StatusCode)
	}
}

// A new password ends the user's sessions: a stolen session does not
// outlive the reset.
func TestNewPasswordEndsTheUsersSessions(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	_, s := login(t, env, "auditor", nil)
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s.Token)); got != 200 {
		t.Fatalf("session before the reset: %d", got)
	}
	id := env.Users[httpapitest.Auditor].ID.String()
	resp, b := env.Do(t, httpapitest.Admin, "", "PUT", "/api/v1/staff-users/"+id+"/password", strings.NewReader(`{"password":"a brand new passphrase"}`), nil)
	if resp.StatusCode != 204 {
		t.Fatalf("set-staff-password: %d %s", resp.StatusCode, b)
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", bearer(s.Token)); got != 401 {
		t.Errorf("session after a new password: %d, want 401", got)
	}
}

func TestStaffAdministration(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	body := `{"username":"Neue.Kollegin","password":"long enough pw","roles":["clerk"],"offices":["` + env.OfficeY.String() + `"]}`
	resp, b := env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users", strings.NewReader(body), nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	if strings.Contains(string(b), "argon2") || strings.Contains(string(b), "long enough pw") {
		t.Errorf("the response shows the password or its hash: %s", b)
	}
	resp, b = env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users", strings.NewReader(strings.Replace(body, "Neue", "NEUE", 1)), nil)
	if p := decodeProblem(t, b); resp.StatusCode != 409 || p.Code != "username_taken" {
		t.Errorf("duplicate username: %d %s", resp.StatusCode, b)
	}
	resp, b = env.Do(t, httpapitest.Admin, "", "GET", "/api/v1/staff-users", nil, nil)
	var list struct{ Users []httpapi.StaffUser }
	if err := json.Unmarshal(b, &list); err != nil || resp.StatusCode != 200 || len(list.Users) != 5 {
		t.Fatalf("list: %d %s", resp.StatusCode, b)
	}
	var id string
	for _, u := range list.Users {
		if u.Username == "neue.kollegin" {
			id = u.ID
		}
	}
	resp, b = env.Do(t, httpapitest.Admin, "", "PUT", "/api/v1/staff-users/"+id+"/password", strings.NewReader(`{"password":"another long pw"}`), nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("set password: %d %s", resp.StatusCode, b)
	}
	resp, _ = env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login", strings.NewReader(`{"username":"neue.kollegin","password":"another long pw"}`), nil)
	if resp.StatusCode != 200 {
		t.Errorf("login with the new password: %d", resp.StatusCode)
	}
	resp, b = env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users", strings.NewReader(`{"username":"x.y","password":"long enough pw","roles":["root"]}`), nil)
	if resp.StatusCode != 422 {
		t.Errorf("unknown role: %d %s", resp.StatusCode, b)
	}
}

func TestCrossOriginUnsafeRequestsAreRefused(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	_, s := login(t, env, "admin", nil)
	h := cookie(s.Token)
	h.Set("Sec-Fetch-Site", "cross-site")
	resp, b := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/logout", nil, h)
	if resp.StatusCode != http.StatusForbidden || decodeProblem(t, b).Code != "forbidden" {
		t.Errorf("cross-site POST with the session cookie: %d %s", resp.StatusCode, b)
	}
	if got := status(t, env, "GET", "/api/v1/auth/me", cookie(s.Token)); got != 200 {
		t.Errorf("the refused request ended the session: %d", got)
	}
}

func TestSessions(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	m := httpapi.NewMemorySessions(httpapi.SessionConfig{Idle: 10 * time.Minute, Absolute: time.Hour, Max: 3, Now: clock})
	ctx := context.Background()
	user := domain.IDFrom[staff.UserID]([16]byte{1})
	tok, _, _ := m.Create(ctx, user)
	for i := 0; i < 5; i++ { // keep it busy: idle never ends it
		now = now.Add(9 * time.Minute)
		if _, err := m.Lookup(ctx, tok); err != nil {
			t.Fatalf("active session ended after %d lookups: %v", i, err)
		}
	}
	now = now.Add(9 * time.Minute) // 54 min
	if _, err := m.Lookup(ctx, tok); err != nil {
		t.Fatal(err)
	}
	now = now.Add(7 * time.Minute) // 61 min: absolute limit
	if _, err := m.Lookup(ctx, tok); !errors.Is(err, httpapi.ErrNoSession) {
		t.Errorf("absolute timeout: %v", err)
	}
	var toks []string
	for i := 0; i < 4; i++ {
		tk, _, _ := m.Create(ctx, user)
		toks = append(toks, tk)
		now = now.Add(time.Second)
	}
	if m.Len() != 3 {
		t.Errorf("Len = %d, want the bound 3", m.Len())
	}
	if _, err := m.Lookup(ctx, toks[0]); !errors.Is(err, httpapi.ErrNoSession) {
		t.Error("the oldest session survived eviction")
	}
	_ = m.RevokeUser(ctx, user)
	if _, err := m.Lookup(ctx, toks[3]); !errors.Is(err, httpapi.ErrNoSession) {
		t.Error("RevokeUser left a session")
	}
	if _, err := m.Lookup(ctx, "bbs_"+strings.Repeat("A", 500)); !errors.Is(err, httpapi.ErrNoSession) {
		t.Error("an oversized token was looked up")
	}
}

func TestRegistrationMistakesPanic(t *testing.T) {
	api := httpapi.Documented()
	op := func(id, path string) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodGet, Path: path}
	}
	cases := map[string]func(){
		"plain huma.Register": func() {
			huma.Register(api.Huma(), huma.Operation{OperationID: "sneaky", Method: "GET", Path: "/api/v1/sneaky"}, failing(nil))
		},
		"zero permission": func() { httpapi.Register(api, op("a-zero", "/z"), httpapi.Permission{}, failing(nil)) },
		"office param missing": func() {
			httpapi.Register(api, op("a-office", "/o"), httpapi.Permission{Audience: httpapi.Clerk, OfficeParam: "officeId"}, failing(nil))
		},
		"office without clerk": func() {
			httpapi.Register(api, op("a-office2", "/o/{officeId}"), httpapi.Permission{Audience: httpapi.Auditor, OfficeParam: "officeId"}, probe)
		},
		"citizen without param": func() {
			httpapi.Register(api, op("a-cit", "/c"), httpapi.Permission{Audience: httpapi.Citizen}, failing(nil))
		},
		"anyone combined": func() {
			httpapi.Register(api, op("a-any", "/a"), httpapi.Permission{Audience: httpapi.Anyone | httpapi.Admin}, failing(nil))
		},
		"not kebab-case": func() {
			httpapi.Register(api, op("getThing", "/g"), httpapi.Permission{Audience: httpapi.Admin}, failing(nil))
		},
		"absolute path": func() {
			httpapi.Register(api, op("a-abs", "/api/v1/x"), httpapi.Permission{Audience: httpapi.Admin}, failing(nil))
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "httpapi:") {
					t.Errorf("panic %v, want one from httpapi explaining the mistake", r)
				}
			}()
			f()
		})
	}
}
