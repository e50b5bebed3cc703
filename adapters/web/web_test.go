package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

func newServer(t *testing.T) (*webtest.Server, *webtest.Fake) {
	t.Helper()
	fake := webtest.New(nil)
	return webtest.Serve(t, fake, webtest.Options{Web: web.Config{Heartbeat: time.Second}}), fake
}

// client follows redirects and keeps cookies, like a browser without JS.
func client(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func post(t *testing.T, c *http.Client, base, page, action string, form url.Values) (int, string) {
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
	return res.StatusCode, string(b)
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	de, err := web.CatalogueKeys("de")
	if err != nil {
		t.Fatal(err)
	}
	en, err := web.CatalogueKeys("en")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(de, en) {
		for _, k := range de {
			if !slices.Contains(en, k) {
				t.Errorf("en lacks %q", k)
			}
		}
		for _, k := range en {
			if !slices.Contains(de, k) {
				t.Errorf("de lacks %q", k)
			}
		}
	}
	if len(de) < 100 {
		t.Fatalf("only %d keys", len(de))
	}
}

// Every key a template or the Go code names, and every value of the
// enumerations looked up with tk, exists in the catalogue.
func TestEveryUsedKeyExists(t *testing.T) {
	keys, err := web.CatalogueKeys("de")
	if err != nil {
		t.Fatal(err)
	}
	var used []string
	tRe := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	goRe := regexp.MustCompile(`"((?:nav|flash|error|form|knock|appt|case|queue|admin|login)\.[a-z0-9_.]+[a-z0-9_])"`)
	files, _ := os.ReadDir("templates")
	for _, f := range files {
		b, err := os.ReadFile("templates/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tRe.FindAllStringSubmatch(string(b), -1) {
			used = append(used, m[1])
		}
	}
	gos, _ := os.ReadDir(".")
	for _, f := range gos {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f.Name())
		for _, m := range goRe.FindAllStringSubmatch(string(b), -1) {
			used = append(used, m[1])
		}
	}
	enum := map[string][]string{
		"door.":        {web.DoorOpen, web.DoorBusy, web.DoorPaused, web.DoorClosed},
		"weekday.":     {"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
		"need.":        web.AccessibilityNeeds,
		"visit.":       {web.VisitWaiting, web.VisitAdmitted, web.VisitDeclined, web.VisitWithdrawn, web.VisitExpired, web.VisitEnded},
		"status.":      web.CaseStatuses,
		"outcome.":     web.CaseOutcomes,
		"role.":        {web.RoleClerk, web.RoleAuditor, web.RoleAdmin},
		"duty.state.":  {web.DutyOn, web.DutyPause, web.DutyOff},
		"flash.duty_":  {web.DutyOn, web.DutyPause, web.DutyOff},
		"lang.":        web.Languages,
		"appt.status.": {web.AppointmentBooked, web.AppointmentCancelled, web.AppointmentCheckedIn},
	}
	for prefix, values := range enum {
		for _, v := range values {
			used = append(used, prefix+v)
		}
	}
	if len(used) < 200 {
		t.Fatalf("found only %d used keys; the scan is broken", len(used))
	}
	for _, k := range used {
		if k == "flash.duty_" {
			continue
		}
		if _, found := slices.BinarySearch(keys, k); !found {
			t.Errorf("key %q is used but not in the catalogue", k)
		}
	}
}

// The committed dist is exactly what `npm run build` wrote: every file in
// the manifest has its digest, and nothing else is there.
func TestDistMatchesManifest(t *testing.T) {
	st := web.StaticFS()
	b, err := fs.ReadFile(st, "static/dist/manifest.json")
	if err != nil {
		t.Fatalf("static/dist is missing: run `cd adapters/web && npm ci && npm run build` (%v)", err)
	}
	var manifest map[string]string
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"kern.min.css", "app.css", "fonts/fira-sans.css", "fonts/fira-sans/FiraSans-Regular.woff2"} {
		if _, ok := manifest[must]; !ok {
			t.Errorf("manifest lacks %s", must)
		}
	}
	seen := 0
	err = fs.WalkDir(st, "static/dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "static/dist/manifest.json" {
			return err
		}
		seen++
		rel := strings.TrimPrefix(p, "static/dist/")
		data, err := fs.ReadFile(st, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if want, ok := manifest[rel]; !ok {
			t.Errorf("%s is not in the manifest (stale file?)", rel)
		} else if hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s differs from the build; run npm run build", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(manifest) {
		t.Errorf("dist has %d files, manifest %d", seen, len(manifest))
	}
	// Our CSS source and the copy in dist agree.
	src, _ := os.ReadFile("styles/app.css")
	dist, _ := fs.ReadFile(st, "static/dist/app.css")
	if string(src) != string(dist) {
		t.Error("styles/app.css changed: run npm run build")
	}
}

func TestSecurityHeadersAndLanguage(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	res, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	body := string(b)
	if !strings.Contains(body, `<html lang="de">`) || !strings.Contains(body, "Anklopfen") {
		t.Error("start page is not German by default")
	}
	if regexp.MustCompile(`<script(?:[^>]*)>\s*[^<\s]`).MatchString(body) || strings.Contains(body, " style=") {
		t.Error("inline script or style in the page")
	}
	_, en := get(t, c, srv.URL+"/?lang=en")
	if !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "Knock") {
		t.Error("?lang=en did not switch to English")
	}
	_, again := get(t, c, srv.URL+"/appointments")
	if !strings.Contains(again, `<html lang="en">`) {
		t.Error("the language cookie was not remembered")
	}
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	get(t, c, srv.URL+"/offices/"+webtest.OfficeResidents+"/knock")
	res, err := c.PostForm(srv.URL+"/offices/"+webtest.OfficeResidents+"/knock", url.Values{"name": {"Robin"}, "service": {"ausweis"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", res.StatusCode)
	}
	// A cross-site post is refused even with a token.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/visit/withdraw", strings.NewReader("_csrf=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site status %d, want 403", res.StatusCode)
	}
}

// Knock without JavaScript: form → validation → waiting room → a clerk
// moves the queue → reload shows the new place → withdraw.
func TestKnockFlowWithoutJavaScript(t *testing.T) {
	srv, fake := newServer(t)
	c := client(t)
	knock := "/offices/" + webtest.OfficeResidents + "/knock"
	fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Erste", Language: "de"})

	status, body := post(t, c, srv.URL, knock, knock, url.Values{"name": {""}, "service": {"ausweis"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Bitte geben Sie an, wie wir Sie ansprechen dürfen.") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("empty name: status %d", status)
	}
	status, body = post(t, c, srv.URL, knock, knock, url.Values{"name": {"Robin"}, "service": {"ausweis"}, "language": {"de"}, "needs": {"captions"}})
	if status != http.StatusOK || !strings.Contains(body, "Warteraum") || !strings.Contains(body, `data-position="2"`) {
		t.Fatalf("after knock: status %d, body lacks waiting room at place 2", status)
	}
	if !strings.Contains(body, "Sie haben angeklopft") {
		t.Error("no confirmation notice")
	}
	// The first visitor withdraws through their own session: Robin moves up.
	first := client(t)
	status, _ = post(t, first, srv.URL, knock, knock, url.Values{"name": {"Zweite"}, "service": {"meldung"}})
	if status != http.StatusOK {
		t.Fatal(status)
	}
	if _, err := fake.Ports().Desk.Admit(t.Context(), web.Principal{ID: webtest.StaffClerk, Role: web.RoleClerk, Offices: []string{webtest.OfficeResidents}}, webtest.OfficeResidents, ""); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, c, srv.URL+"/visit")
	if !strings.Contains(body, `data-position="1"`) {
		t.Fatal("place did not move to 1 after the first was admitted")
	}
	status, body = post(t, c, srv.URL, "/visit", "/visit/withdraw", url.Values{})
	if status != http.StatusOK || !strings.Contains(body, "Sie haben Ihren Besuch zurückgezogen.") {
		t.Fatalf("withdraw: status %d", status)
	}
}

func TestStaffPagesNeedTheRole(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	_, body := get(t, c, srv.URL+"/staff")
	if !strings.Contains(body, `name="password"`) {
		t.Fatal("unauthenticated /staff did not show the sign-in form")
	}
	status, _ := post(t, c, srv.URL, "/staff/login", "/staff/login", url.Values{"username": {"auditor"}, "password": {webtest.Password}})
	if status != http.StatusOK {
		t.Fatal(status)
	}
	if status, _ := get(t, c, srv.URL+"/staff"); status != http.StatusForbidden {
		t.Fatalf("auditor on /staff: %d, want 403", status)
	}
	status, body = get(t, c, srv.URL+"/audit/cases/"+webtest.CaseReference+"?step=2")
	if status != http.StatusOK || !strings.Contains(body, "Schritt 2 von 4") || !strings.Contains(body, "Integrität bestätigt") {
		t.Fatalf("timeline: %d", status)
	}
	res, err := c.Get(srv.URL + "/audit/cases/" + webtest.CaseReference + "/export.json")
	if err != nil {
		t.Fatal(err)
	}
	var tl web.TimelineView
	if err := json.NewDecoder(res.Body).Decode(&tl); err != nil || len(tl.Steps) != 4 {
		t.Fatalf("export: %v, %d steps", err, len(tl.Steps))
	}
	res.Body.Close()
}

func TestICS(t *testing.T) {
	a := web.AppointmentView{Code: "T1-0900", Start: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 25, 8, 20, 0, 0, time.UTC)}
	s := web.ICS(a, "Termin: Ausweis, Bürgeramt; heute", "Code T1-0900", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "DTSTART:20261125T080000Z\r\n", "DTEND:20261125T082000Z\r\n", `SUMMARY:Termin: Ausweis\, Bürgeramt\; heute`, "END:VCALENDAR\r\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("ICS lacks %q:\n%s", want, s)
		}
	}
	for _, line := range strings.Split(s, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
}

// Both languages use the same printf verbs per key, so a count formats in
// either.
func TestCataloguesUseTheSameVerbs(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	load := func(lang string) map[string]string {
		b, err := os.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	de, en := load("de"), load("en")
	checked := 0
	for k, d := range de {
		a, b := strings.Join(verbs.FindAllString(d, -1), ","), strings.Join(verbs.FindAllString(en[k], -1), ",")
		if a != b {
			t.Errorf("%s: de uses %q, en %q", k, a, b)
		}
		if a != "" {
			checked++
		}
	}
	if checked < 5 {
		t.Fatalf("only %d keys with verbs; the check is broken", checked)
	}
}

func TestPagesWithoutAPortAreUnavailable(t *testing.T) {
	fake := webtest.New(nil)
	ports := fake.Ports()
	ports.Offices = nil
	srv := webtest.Serve(t, fake, webtest.Options{Web: web.Config{Ports: ports}})
	status, body := get(t, client(t), srv.URL+"/")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "nicht verfügbar") {
		t.Fatalf("nil port: %d", status)
	}
}

func TestTrustedOriginsAreValidated(t *testing.T) {
	// The pages' form posts pass the API's cross-origin protection.
	if err := (httpapi.Config{TrustedOrigins: []string{"not a url"}}).Validate(); err == nil || !strings.Contains(err.Error(), "trusted origin") {
		t.Fatalf("bad trusted origin: %v", err)
	}
	srv := webtest.Serve(t, webtest.New(nil), webtest.Options{API: httpapi.Config{TrustedOrigins: []string{"https://buergerbuero.example"}}})
	c := client(t)
	_, body := get(t, c, srv.URL+"/case")
	m := csrfRe.FindStringSubmatch(body)
	for origin, want := range map[string]int{"https://buergerbuero.example": http.StatusUnprocessableEntity, "https://evil.example": http.StatusForbidden} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/case", strings.NewReader(url.Values{"_csrf": {m[1]}, "reference": {"X"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("post from %s: %d, want %d", origin, res.StatusCode, want)
		}
	}
}
