package httpapi_test

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
)

func TestLoginRateLimitPerClientAddress(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Config: httpapi.Config{
		RateLimits:     map[httpapi.RateClass]httpapi.RateLimit{httpapi.RateLogin: {Every: 10 * time.Second, Burst: 2}},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	}})
	try := func(client string) *http.Response {
		resp, _ := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login",
			strings.NewReader(`{"username":"admin","password":"wrong wrong wrong"}`), http.Header{"X-Forwarded-For": {client}})
		return resp
	}
	for i := 0; i < 2; i++ {
		if r := try("203.0.113.7"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := try("203.0.113.7")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "10" {
		t.Fatalf("third attempt: %d Retry-After %q, want 429 and 10", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if r := try("198.51.100.1"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("another address was limited too: %d", r.StatusCode)
	}
	// IPv6 clients share a budget per /64.
	try("2001:db8:1:2::1")
	try("2001:db8:1:2::2")
	if r := try("2001:db8:1:2::3"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("third address of one /64: %d, want 429", r.StatusCode)
	}
	env.Clock.Advance(10 * time.Second)
	if r := try("203.0.113.7"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the refill: %d", r.StatusCode)
	}
	// A forged X-Forwarded-For from an untrusted peer is ignored: the
	// limit applies to the peer itself.
	other := httpapitest.New(t, httpapitest.Options{Config: httpapi.Config{
		RateLimits: map[httpapi.RateClass]httpapi.RateLimit{httpapi.RateLogin: {Every: time.Minute, Burst: 1}},
	}})
	for i, ip := range []string{"192.0.2.1", "192.0.2.2"} {
		resp, _ := other.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login",
			strings.NewReader(`{"username":"admin","password":"wrong wrong wrong"}`), http.Header{"X-Forwarded-For": {ip}})
		if want := []int{401, 429}[i]; resp.StatusCode != want {
			t.Errorf("untrusted forwarded %s: %d, want %d", ip, resp.StatusCode, want)
		}
	}
}

func TestIdempotencyKeys(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	adminTok := env.Credential(t, httpapitest.Admin, "")
	create := func(key, username, auth string) (*http.Response, []byte) {
		h := http.Header{"Idempotency-Key": {key}, "Authorization": {auth}}
		return env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/staff-users",
			strings.NewReader(`{"username":"`+username+`","password":"long enough pw","roles":["auditor"]}`), h)
	}
	r1, b1 := create("key-1", "idem.user", adminTok)
	r2, b2 := create("key-1", "idem.user", adminTok)
	if r1.StatusCode != 201 || r2.StatusCode != 201 || string(b1) != string(b2) {
		t.Fatalf("replay: %d %s / %d %s", r1.StatusCode, b1, r2.StatusCode, b2)
	}
	if r2.Header.Get("Idempotent-Replayed") != "true" || r1.Header.Get("Idempotent-Replayed") != "" {
		t.Error("Idempotent-Replayed header missing on the replay or present on the first response")
	}
	r3, b3 := create("key-1", "other.user", adminTok)
	if p := decodeProblem(t, b3); r3.StatusCode != 422 || p.Code != httpapi.CodeIdempotencyReuse {
		t.Errorf("same key, other body: %d %s", r3.StatusCode, b3)
	}
	// A second session of the same user shares its keys.
	r4, _ := create("key-1", "idem.user", env.Credential(t, httpapitest.Admin, ""))
	if r4.StatusCode != 201 || r4.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("same user, other session: %d, want the replay", r4.StatusCode)
	}
	r5, b5 := create("bad key with spaces", "x.user", adminTok)
	if r5.StatusCode != 400 {
		t.Errorf("malformed key: %d %s", r5.StatusCode, b5)
	}
	// Without a key a repeat is a new request.
	resp, _ := env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users",
		strings.NewReader(`{"username":"idem.user","password":"long enough pw","roles":["auditor"]}`), nil)
	if resp.StatusCode != 409 {
		t.Errorf("repeat without a key: %d, want 409", resp.StatusCode)
	}
	// Keys expire after an hour.
	env.Clock.Advance(61 * time.Minute)
	r6, _ := create("key-1", "idem.user", env.Credential(t, httpapitest.Admin, ""))
	if r6.StatusCode != 409 {
		t.Errorf("expired key: %d, want the request to run again (409 username taken)", r6.StatusCode)
	}
}

func TestIdempotencyKeysAreScopedPerPrincipal(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	body := `{"username":"scoped.user","password":"long enough pw","roles":["auditor"]}`
	r1, _ := env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users", strings.NewReader(body), http.Header{"Idempotency-Key": {"k"}})
	if r1.StatusCode != 201 {
		t.Fatal(r1.StatusCode)
	}
	// A second admin account with the same key does not see the first's response.
	resp, b := env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users",
		strings.NewReader(`{"username":"admin.two","password":"`+httpapitest.Password+`","roles":["admin"]}`), nil)
	if resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	_, s := login(t, env, "admin.two", nil)
	r2, _ := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/staff-users", strings.NewReader(body),
		http.Header{"Idempotency-Key": {"k"}, "Authorization": {"Bearer " + s.Token}})
	if r2.StatusCode != 409 || r2.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("other principal, same key: %d replayed=%q, want its own 409", r2.StatusCode, r2.Header.Get("Idempotent-Replayed"))
	}
}

func TestBodyLimit(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Config: httpapi.Config{MaxBodyBytes: 1024}})
	big := `{"username":"admin","password":"` + strings.Repeat("p", 2000) + `"}`
	resp, b := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login", strings.NewReader(big), nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || decodeProblem(t, b).Code != httpapi.CodeBodyTooLarge {
		t.Errorf("oversized body: %d %s", resp.StatusCode, b)
	}
	resp, b = env.Do(t, httpapitest.Admin, "", "POST", "/api/v1/staff-users", strings.NewReader(big), http.Header{"Idempotency-Key": {"k"}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body with an idempotency key: %d %s", resp.StatusCode, b)
	}
}

func TestIdempotencyKeyInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	env := httpapitest.New(t, httpapitest.Options{Register: func(api *httpapi.API) {
		httpapi.Register(api, huma.Operation{OperationID: "probe-slow-create", Method: http.MethodPost, Path: "/probe/slow", DefaultStatus: 201},
			httpapi.Permission{Audience: httpapi.Anyone},
			func(context.Context, *struct {
				Body struct {
					N int `json:"n" maximum:"9"`
				}
			}) (*probeOut, error) {
				entered <- struct{}{}
				<-release
				return &probeOut{}, nil
			}, httpapi.WithIdempotency())
	}})
	h := http.Header{"Idempotency-Key": {"same"}}
	first := make(chan int)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/probe/slow", strings.NewReader(`{"n":1}`))
		req.Header.Set("Idempotency-Key", "same")
		req.Header.Set("Content-Type", "application/json")
		resp, err := env.Server.Client().Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	select {
	case <-entered:
	case s := <-first:
		t.Fatalf("the first request ended early: %d", s)
	}
	resp, b := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/probe/slow", strings.NewReader(`{"n":1}`), h)
	if resp.StatusCode != http.StatusConflict || resp.Header.Get("Retry-After") != "1" || decodeProblem(t, b).Code != httpapi.CodeIdempotencyBusy {
		t.Errorf("while the first runs: %d %s", resp.StatusCode, b)
	}
	close(release)
	if s := <-first; s != 201 {
		t.Fatalf("first request: %d", s)
	}
	resp, _ = env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/probe/slow", strings.NewReader(`{"n":1}`), h)
	if resp.StatusCode != 201 || resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("after it finished: %d, want the replay", resp.StatusCode)
	}
}

// The limiter remembers a bounded number of addresses; when full it forgets
// the least recently seen one, so memory cannot grow with an address sweep.
func TestRateLimiterMemoryIsBounded(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Config: httpapi.Config{
		RateLimits:     map[httpapi.RateClass]httpapi.RateLimit{httpapi.RateLogin: {Every: time.Hour, Burst: 1}},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		MaxRateKeys:    2,
	}})
	try := func(client string) int {
		resp, _ := env.Do(t, httpapitest.Anonymous, "", "POST", "/api/v1/auth/login",
			strings.NewReader(`{"username":"admin","password":"wrong wrong wrong"}`), http.Header{"X-Forwarded-For": {client}})
		return resp.StatusCode
	}
	try("192.0.2.1")
	env.Clock.Advance(time.Second)
	try("192.0.2.2")
	if s := try("192.0.2.2"); s != 429 {
		t.Fatalf("second try of .2: %d, want 429", s)
	}
	env.Clock.Advance(time.Second)
	try("192.0.2.3") // evicts .1, the least recently seen
	if s := try("192.0.2.2"); s != 429 {
		t.Errorf(".2 was forgotten instead of .1: %d", s)
	}
	if s := try("192.0.2.1"); s != 401 {
		t.Errorf(".1 should start afresh after eviction: %d", s)
	}
}
