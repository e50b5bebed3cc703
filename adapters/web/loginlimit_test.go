package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

// Guessing passwords on the sign-in form is slowed per client address: after
// the burst the form answers 429 with Retry-After, without checking the
// password (each check costs an argon2id hash), even for the right one.
func TestSignInIsRateLimited(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	for i := 0; i < 10; i++ {
		status, _ := post(t, c, srv.URL, "/staff/login", "/staff/login", url.Values{"username": {"clerk"}, "password": {"wrong"}})
		if status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401 within the burst", i+1, status)
		}
	}
	status, body := post(t, c, srv.URL, "/staff/login", "/staff/login", url.Values{"username": {"clerk"}, "password": {webtest.Password}})
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Zu viele Anmeldeversuche") {
		t.Fatalf("attempt after the burst: status %d, want 429 with the German message", status)
	}
}
