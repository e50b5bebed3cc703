package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

var requestRe = regexp.MustCompile(`name="request" value="([^"]+)"`)

// clock is a settable clock for the fake, the sessions and the limits.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newClock() *clock {
	loc, _ := time.LoadLocation("Europe/Berlin")
	return &clock{now: time.Date(2026, 11, 24, 10, 0, 0, 0, loc)}
}

// submit gets page for its CSRF token and posts form to action; it
// returns the final response (redirects followed) with its body.
func submit(t *testing.T, c *http.Client, base, page, action string, form url.Values) (*http.Response, string) {
	t.Helper()
	_, body := get(t, c, base+page)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field on %s", page)
	}
	form.Set("_csrf", m[1])
	res, err := c.PostForm(base+action, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func signIn(t *testing.T, c *http.Client, base string) {
	t.Helper()
	res, body := submit(t, c, base, "/staff/login", "/staff/login", url.Values{"username": {"clerk"}, "password": {webtest.Password}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Mein Arbeitsplatz") {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
}

// The pages' staff session is the API's: signing out revokes it, so a
// copy of the old cookie opens the sign-in form and not the desk.
func TestSignOutEndsTheSession(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	signIn(t, c, srv.URL)
	u, _ := url.Parse(srv.URL)
	old := c.Jar.Cookies(u)
	res, body := submit(t, c, srv.URL, "/staff", "/staff/logout", url.Values{})
	if res.Request.URL.Path != "/staff/login" || !strings.Contains(body, "Sie sind abgemeldet") {
		t.Fatalf("sign-out: %d at %s", res.StatusCode, res.Request.URL.Path)
	}
	if srv.Sessions.Len() != 0 {
		t.Errorf("%d sessions left after sign-out", srv.Sessions.Len())
	}
	replay := client(t)
	replay.Jar.SetCookies(u, old)
	status, body := get(t, replay, srv.URL+"/staff")
	if status != http.StatusUnauthorized || !strings.Contains(body, `action="/staff/login"`) || !strings.Contains(body, `name="next" value="/staff"`) {
		t.Fatalf("old cookie after sign-out: %d, want 401 with the sign-in form", status)
	}
	// The same cookie is anonymous on public pages.
	if status, _ := get(t, replay, srv.URL+"/"); status != http.StatusOK {
		t.Errorf("start page with an ended session's cookie: %d", status)
	}
}

// The API's idle timeout (30 min) applies to pages.
func TestPagesSessionEndsWhenIdle(t *testing.T) {
	clk := newClock()
	srv := webtest.Serve(t, webtest.New(clk.Now), webtest.Options{})
	c := client(t)
	signIn(t, c, srv.URL)
	clk.Advance(29 * time.Minute)
	if status, _ := get(t, c, srv.URL+"/staff"); status != http.StatusOK {
		t.Fatalf("after 29 min: %d", status)
	}
	clk.Advance(29 * time.Minute) // each request extends the idle expiry
	if status, _ := get(t, c, srv.URL+"/staff"); status != http.StatusOK {
		t.Fatalf("29 min after the last request: %d", status)
	}
	clk.Advance(31 * time.Minute)
	status, body := get(t, c, srv.URL+"/staff")
	if status != http.StatusUnauthorized || !strings.Contains(body, "Bitte melden Sie sich an.") {
		t.Fatalf("after 31 idle min: %d, want 401 with the sign-in form", status)
	}
}

// The knock, code and sign-in forms share the API's per-address rate
// limits: past the budget they answer 429 with Retry-After.
func TestFormsAreRateLimited(t *testing.T) {
	tight := httpapi.RateLimit{Every: time.Minute, Burst: 2}
	limits := map[httpapi.RateClass]httpapi.RateLimit{httpapi.RateKnock: tight, httpapi.RateCode: tight, httpapi.RateLogin: tight}
	knock := "/offices/" + webtest.OfficeResidents + "/knock"
	for name, f := range map[string]struct {
		page, action string
		form         url.Values
		says         string
	}{
		"knock":          {knock, knock, url.Values{"name": {"Robin"}, "service": {"ausweis"}}, "Sekunden erneut"},
		"appointment":    {"/appointments/manage", "/appointments/manage", url.Values{"code": {"WRONG-CODE"}}, "Sekunden erneut"},
		"case reference": {"/case", "/case", url.Values{"reference": {"DO-2026-000001"}, "token": {"guess"}}, "Sekunden erneut"},
		"sign-in":        {"/staff/login", "/staff/login", url.Values{"username": {"clerk"}, "password": {"guess"}}, "Zu viele Anmeldeversuche"},
	} {
		t.Run(name, func(t *testing.T) {
			// A server each: the appointment and case look-ups share one
			// budget per address (code guessing).
			srv := webtest.Serve(t, webtest.New(nil), webtest.Options{API: httpapi.Config{RateLimits: limits}})
			c := client(t)
			for i := range 2 {
				if res, _ := submit(t, c, srv.URL, f.page, f.action, f.form); res.StatusCode == http.StatusTooManyRequests {
					t.Fatalf("attempt %d already limited", i+1)
				}
			}
			res, body := submit(t, c, srv.URL, f.page, f.action, f.form)
			if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, f.says) {
				t.Fatalf("third attempt: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
			}
		})
	}
}

// A knock form submitted twice (a double click) is one visit.
func TestDoubleSubmittedKnockIsOneVisit(t *testing.T) {
	srv, fake := newServer(t)
	c := client(t)
	knock := "/offices/" + webtest.OfficeResidents + "/knock"
	_, form := get(t, c, srv.URL+knock)
	rid := requestRe.FindStringSubmatch(form)
	if rid == nil {
		t.Fatal("the knock form has no request ID")
	}
	for range 2 {
		res, _ := submit(t, c, srv.URL, knock, knock, url.Values{"request": {rid[1]}, "name": {"Robin"}, "service": {"ausweis"}, "needs": {"captions"}})
		if res.Request.URL.Path != "/visit" {
			t.Fatalf("knock ended at %s", res.Request.URL.Path)
		}
	}
	q, err := fake.Ports().Desk.Queue(t.Context(), web.Principal{ID: webtest.StaffClerk, Role: web.RoleClerk, Offices: []string{webtest.OfficeResidents}}, webtest.OfficeResidents)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Entries) != 1 || len(q.Entries[0].Needs) != 1 || q.Entries[0].Needs[0] != "captions" {
		t.Fatalf("queue after a double submit: %+v", q.Entries)
	}
	// A fresh render is a fresh request.
	_, again := get(t, c, srv.URL+knock)
	if m := requestRe.FindStringSubmatch(again); m == nil || m[1] == rid[1] {
		t.Fatal("a new knock form reuses the request ID")
	}
}

// A booking form submitted twice is one appointment, not a second booking
// refused because the slot is taken.
func TestDoubleSubmittedBookingIsOneAppointment(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	wizard := "/appointments?office=" + webtest.OfficeResidents + "&service=ausweis&day=2026-11-25"
	_, page := get(t, c, srv.URL+wizard)
	slot := regexp.MustCompile(`name="slot" value="([0-9]+)"`).FindStringSubmatch(page)
	rid := requestRe.FindStringSubmatch(page)
	if slot == nil || rid == nil {
		t.Fatal("no slot or request ID on the booking form")
	}
	code := regexp.MustCompile(`id="appt-code">([^<]+)<`)
	var codes []string
	for range 2 {
		res, body := submit(t, c, srv.URL, wizard, "/appointments", url.Values{"request": {rid[1]},
			"office": {webtest.OfficeResidents}, "service": {"ausweis"}, "day": {"2026-11-25"}, "slot": {slot[1]}, "name": {"Robin"}})
		m := code.FindStringSubmatch(body)
		if res.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("booking: %d", res.StatusCode)
		}
		codes = append(codes, m[1])
	}
	if codes[0] != codes[1] {
		t.Fatalf("two bookings %q from one form", codes)
	}
}

// Error pages say what happened, from the problem's stable code: a knock
// at a closed door names the next opening, a second admission says the
// visit was admitted, a second cancellation that it was cancelled.
func TestErrorPageSaysWhatHappened(t *testing.T) {
	srv, fake := newServer(t)
	c := client(t)
	knock := "/offices/" + webtest.OfficeVehicles + "/knock"
	res, body := submit(t, c, srv.URL, knock, knock, url.Values{"name": {"Robin"}, "service": {"zulassung"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Sie öffnet wieder am 25.11.2026 09:00.") {
		t.Fatalf("knock at a closed door: %d\n%s", res.StatusCode, body)
	}
	res, body = submit(t, c, srv.URL, knock+"?lang=en", knock+"?lang=en", url.Values{"name": {"Robin"}, "service": {"zulassung"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "It opens again on 2026-11-25 09:00.") {
		t.Fatalf("knock at a closed door in English: %d", res.StatusCode)
	}

	// A visit admitted twice (two clerks, or a stale queue page).
	clerk := client(t)
	signIn(t, clerk, srv.URL)
	queue := "/staff/offices/" + webtest.OfficeResidents + "/queue"
	visit := fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Robin", Language: "de"})
	for i, want := range []int{http.StatusOK, http.StatusConflict} {
		res, body := submit(t, clerk, srv.URL, queue, "/staff/offices/"+webtest.OfficeResidents+"/admit", url.Values{"visit": {visit.VisitID}})
		if res.StatusCode != want || (i == 1 && !strings.Contains(body, "Dieser Besuch wurde bereits eingelassen.")) {
			t.Fatalf("admission %d: %d, want %d", i+1, res.StatusCode, want)
		}
	}
	res, body = submit(t, clerk, srv.URL, queue, "/staff/offices/"+webtest.OfficeResidents+"/admit", url.Values{})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Gerade wartet niemand.") {
		t.Fatalf("admit next with nobody waiting: %d", res.StatusCode)
	}
	// An appointment cancelled twice.
	citizen := client(t)
	if res, _ := submit(t, citizen, srv.URL, "/appointments/manage", "/appointments/manage", url.Values{"code": {webtest.AppointmentCode}}); res.StatusCode != http.StatusOK {
		t.Fatalf("find appointment: %d", res.StatusCode)
	}
	for i, want := range []int{http.StatusOK, http.StatusConflict} {
		res, body := submit(t, citizen, srv.URL, "/appointments/manage", "/appointments/cancel", url.Values{})
		if res.StatusCode != want || (i == 1 && !strings.Contains(body, "Dieser Termin wurde abgesagt.")) {
			t.Fatalf("cancel %d: %d, want %d", i+1, res.StatusCode, want)
		}
	}
}

// A clerk's live queue ends at the first heartbeat after sign-out, as the
// API's event streams do.
func TestLiveQueueEndsAtSignOut(t *testing.T) {
	srv, _ := newServer(t) // heartbeat: 1 s
	c := client(t)
	signIn(t, c, srv.URL)
	res, err := c.Get(srv.URL + "/live/queue/" + webtest.OfficeResidents)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("live queue: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if r, _ := submit(t, c, srv.URL, "/staff", "/staff/logout", url.Values{}); r.Request.URL.Path != "/staff/login" {
		t.Fatalf("sign-out ended at %s", r.Request.URL.Path)
	}
	ended := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, res.Body); ended <- err }()
	select {
	case err := <-ended:
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the live queue outlived the session")
	}
}

// The appointment code in the citizen's cookie is guessable too: the pages
// that look it up share the code budget with the code form.
func TestCodeCookieLookupsShareTheCodeBudget(t *testing.T) {
	limits := map[httpapi.RateClass]httpapi.RateLimit{httpapi.RateCode: {Every: time.Minute, Burst: 2}}
	srv := webtest.Serve(t, webtest.New(nil), webtest.Options{API: httpapi.Config{RateLimits: limits}})
	c := client(t)
	u, _ := url.Parse(srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "bb_appt", Value: "appt~GUESS-0001", Path: "/"}})
	for i := range 2 {
		if status, _ := get(t, c, srv.URL+"/appointments/confirmation"); status == http.StatusTooManyRequests {
			t.Fatalf("look-up %d already limited", i+1)
		}
	}
	res, err := c.Get(srv.URL + "/appointments/confirmation.ics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("third look-up: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// A request ID in the booking page's URL is never put into its form: a link
// with a chosen ID would let its author replay the victim's booking and be
// handed the appointment code.
func TestBookingFormIgnoresARequestIDFromTheURL(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	planted := "0b6f3c5e-8d2a-4f1b-9c7e-3a5d2e1f4b60"
	_, page := get(t, c, srv.URL+"/appointments?office="+webtest.OfficeResidents+"&service=ausweis&day=2026-11-25&request="+planted)
	m := requestRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no request ID on the booking form")
	}
	if m[1] == planted {
		t.Fatal("the booking form took its request ID from the URL")
	}
}
