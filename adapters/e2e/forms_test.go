package e2e_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/e2e/internal/stack"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

var (
	csrfField    = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)
)

// browserless is a client that keeps cookies and follows redirects, like
// a browser without JavaScript.
func browserless(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func field(t *testing.T, re *regexp.Regexp, page, what string) string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s field on the page", what)
	}
	return m[1]
}

// TestFormsOnTheRealStack drives the pages over HTTP on the whole system
// (embedded node, application, read side, API pipeline): a clerk signs in
// with the API's sessions and opens the door; a citizen submits the knock
// form twice (a double click) with captions among the needs; there is one
// visit, and it has the captions need; signing out ends the session.
func TestFormsOnTheRealStack(t *testing.T) {
	s := stack.Start(t)
	office := s.Offices[0]
	oid, svc := office.OfficeID.String(), office.Services[0].ID.String()
	s.Account(t, "clerk", staff.RoleClerk, office.OfficeID)

	clerk := browserless(t)
	_, page := fetch(t, clerk, http.MethodGet, s.URL+"/staff/login", nil)
	res, page := fetch(t, clerk, http.MethodPost, s.URL+"/staff/login", url.Values{
		"_csrf": {field(t, csrfField, page, "CSRF")}, "username": {"clerk"}, "password": {stack.Password},
	})
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/staff" {
		t.Fatalf("sign-in: %d at %s", res.StatusCode, res.Request.URL.Path)
	}
	res, _ = fetch(t, clerk, http.MethodPost, s.URL+"/staff/offices/"+oid+"/duty", url.Values{
		"_csrf": {field(t, csrfField, page, "CSRF")}, "duty": {"on"},
	})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("go on duty: %d", res.StatusCode)
	}

	citizen := browserless(t)
	_, form := fetch(t, citizen, http.MethodGet, s.URL+"/offices/"+oid+"/knock", nil)
	knock := url.Values{
		"_csrf": {field(t, csrfField, form, "CSRF")}, "request": {field(t, requestField, form, "request ID")},
		"name": {"Ada"}, "service": {svc}, "language": {"de"}, "needs": {"captions", "sign_language"},
	}
	var visits []string
	for range 2 {
		res, _ := fetch(t, citizen, http.MethodPost, s.URL+"/offices/"+oid+"/knock", knock)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/visit" {
			t.Fatalf("knock: %d at %s", res.StatusCode, res.Request.URL.Path)
		}
		for _, c := range citizen.Jar.Cookies(res.Request.URL) {
			if c.Name == "bb_visit" {
				visits = append(visits, c.Value)
			}
		}
	}
	if len(visits) != 2 || visits[0] != visits[1] {
		t.Errorf("the two submits gave the passes %q, want one visit", visits)
	}
	q, err := s.Ports.Desk.Queue(t.Context(), mustPrincipal(t, s, "clerk"), oid)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Entries) != 1 {
		t.Fatalf("queue after a double submit: %d visits, want 1", len(q.Entries))
	}
	if needs := q.Entries[0].Needs; !slices.Contains(needs, "captions") || !slices.Contains(needs, "sign_language") {
		t.Errorf("the visit's needs are %q, want captions and sign_language", needs)
	}

	// Signing out revokes the session: the old cookie opens the sign-in
	// page, not the desk.
	u, _ := url.Parse(s.URL)
	old := clerk.Jar.Cookies(u)
	_, page = fetch(t, clerk, http.MethodGet, s.URL+"/staff", nil)
	if res, _ := fetch(t, clerk, http.MethodPost, s.URL+"/staff/logout", url.Values{"_csrf": {field(t, csrfField, page, "CSRF")}}); res.Request.URL.Path != "/staff/login" {
		t.Fatalf("sign-out ended at %s", res.Request.URL.Path)
	}
	replay := browserless(t)
	replay.Jar.SetCookies(u, old)
	res, page = fetch(t, replay, http.MethodGet, s.URL+"/staff", nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, `action="/staff/login"`) {
		t.Errorf("the signed-out cookie on /staff: %d, want 401 with the sign-in form", res.StatusCode)
	}
}
