package web_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

// Book without JavaScript: office → service → day → slot, confirmation with
// code and .ics, reschedule, cancel.
func TestAppointmentFlowWithoutJavaScript(t *testing.T) {
	srv, _ := newServer(t)
	c := client(t)
	wizard := "/appointments?office=" + webtest.OfficeResidents + "&service=ausweis&day=2026-11-25"
	_, body := get(t, c, srv.URL+wizard)
	slot := regexp.MustCompile(`name="slot" value="([0-9]+)"`).FindStringSubmatch(body)
	if slot == nil {
		t.Fatal("no slot offered")
	}
	form := url.Values{"office": {webtest.OfficeResidents}, "service": {"ausweis"}, "day": {"2026-11-25"}, "slot": {slot[1]}, "name": {""}}
	status, _ := post(t, c, srv.URL, wizard, "/appointments", form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("booking without a name: %d, want 422", status)
	}
	form.Set("name", "Robin")
	status, body = post(t, c, srv.URL, wizard, "/appointments", form)
	if status != http.StatusOK || !strings.Contains(body, "Ihr Termin ist gebucht.") || !strings.Contains(body, `id="appt-code"`) {
		t.Fatalf("confirmation: %d", status)
	}
	res, err := c.Get(srv.URL + "/appointments/confirmation.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" || !strings.Contains(string(ics), "DTSTART:20261125T") {
		t.Fatalf("ics: %s %q", res.Header.Get("Content-Type"), ics)
	}
	// Knocking from the confirmation prefills the appointment code and service.
	_, body = get(t, c, srv.URL+"/offices/"+webtest.OfficeResidents+"/knock")
	code := regexp.MustCompile(`id="appt-code">([^<]+)<`).FindStringSubmatch(mustGet(t, c, srv.URL+"/appointments/confirmation"))
	if code == nil || !strings.Contains(body, `name="code" type="text" autocomplete="off" maxlength="20" aria-describedby="code-hint" value="`+code[1]+`"`) || !strings.Contains(body, `value="ausweis" selected`) {
		t.Fatal("the knock form was not prefilled from the appointment")
	}
	_, body = get(t, c, srv.URL+"/appointments/confirmation?day=2026-11-26")
	other := regexp.MustCompile(`name="slot" value="([0-9]+)"`).FindStringSubmatch(body)
	if other == nil {
		t.Fatal("no slot to reschedule to")
	}
	status, body = post(t, c, srv.URL, "/appointments/confirmation", "/appointments/reschedule", url.Values{"slot": {other[1]}})
	if status != http.StatusOK || !strings.Contains(body, "Ihr Termin ist verschoben.") || !strings.Contains(body, "26.11.2026") {
		t.Fatalf("reschedule: %d", status)
	}
	status, body = post(t, c, srv.URL, "/appointments/confirmation", "/appointments/cancel", url.Values{})
	if status != http.StatusOK || !strings.Contains(body, "Abgesagt") {
		t.Fatalf("cancel: %d", status)
	}
}

// A clerk without JavaScript: sign in, go on duty, admit the next person,
// write a visible note beside the call, and the citizen sees it.
func TestClerkFlowWithoutJavaScript(t *testing.T) {
	srv, fake := newServer(t)
	fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Robin", Language: "de"})
	c := client(t)
	status, body := post(t, c, srv.URL, "/staff/login", "/staff/login", url.Values{"username": {"clerk"}, "password": {"wrong"}})
	if status != http.StatusUnauthorized || !strings.Contains(body, "Benutzername oder Passwort stimmen nicht.") {
		t.Fatalf("wrong password: %d", status)
	}
	status, body = post(t, c, srv.URL, "/staff/login", "/staff/login", url.Values{"username": {"clerk"}, "password": {webtest.Password}})
	if status != http.StatusOK || !strings.Contains(body, "Mein Arbeitsplatz") {
		t.Fatalf("sign-in: %d", status)
	}
	queue := "/staff/offices/" + webtest.OfficeResidents + "/queue"
	status, body = post(t, c, srv.URL, "/staff", "/staff/offices/"+webtest.OfficeResidents+"/duty", url.Values{"duty": {"pause"}, "back": {queue}})
	if status != http.StatusOK || !strings.Contains(body, "Sie machen Pause.") || !strings.Contains(body, "in Pause") {
		t.Fatalf("pause: %d", status)
	}
	status, body = post(t, c, srv.URL, queue, "/staff/offices/"+webtest.OfficeResidents+"/admit", url.Values{})
	if status != http.StatusOK || !strings.Contains(body, "Videogespräch") || !strings.Contains(body, "Robin") {
		t.Fatalf("admit: %d", status)
	}
	ref := regexp.MustCompile(`action="/staff/cases/([A-Z0-9-]+)/note"`).FindStringSubmatch(body)
	if ref == nil {
		t.Fatal("no case beside the call")
	}
	m := csrfRe.FindStringSubmatch(body)
	back := regexp.MustCompile(`name="back" value="([^"]+)"`).FindStringSubmatch(body)
	res, err := c.PostForm(srv.URL+"/staff/cases/"+ref[1]+"/note", url.Values{"_csrf": {m[1]}, "text": {"Bitte Foto mitbringen."}, "visibility": {"visible"}, "back": {back[1]}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.HasPrefix(res.Request.URL.Path, "/staff/calls/") || !strings.Contains(string(b), "Bitte Foto mitbringen.") {
		t.Fatalf("note: back at %s", res.Request.URL.Path)
	}
	// An open redirect through "back" is refused.
	res, err = c.PostForm(srv.URL+"/staff/cases/"+ref[1]+"/status", url.Values{"_csrf": {m[1]}, "status": {"closed"}, "back": {"//evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Host != strings.TrimPrefix(srv.URL, "http://") {
		t.Fatalf("redirected off-site to %s", res.Request.URL)
	}
}

// The SSE stream of a waiting visit sends the current state with its
// version as id, then every change with a higher id.
func TestLiveVisitStream(t *testing.T) {
	srv, fake := newServer(t)
	c := client(t)
	knock := "/offices/" + webtest.OfficeResidents + "/knock"
	first := fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Erste", Language: "de"})
	post(t, c, srv.URL, knock, knock, url.Values{"name": {"Robin"}, "service": {"ausweis"}})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live/visit", nil)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	events := make(chan [2]string, 8) // id, data
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var id, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				id = line[4:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			case line == "" && data != "":
				events <- [2]string{id, data}
				id, data = "", ""
			}
		}
		close(events)
	}()
	next := func() [2]string {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatal("stream ended")
			}
			return e
		case <-ctx.Done():
			t.Fatal("no event")
		}
		return [2]string{}
	}
	e1 := next()
	if !strings.Contains(e1[1], `data-position=\"2\"`) || e1[0] == "" {
		t.Fatalf("first event %q", e1)
	}
	clerk := web.Principal{ID: webtest.StaffClerk, Role: web.RoleClerk, Offices: []string{webtest.OfficeResidents}}
	if _, err := fake.Ports().Desk.Admit(ctx, clerk, webtest.OfficeResidents, first.VisitID); err != nil {
		t.Fatal(err)
	}
	e2 := next()
	if !strings.Contains(e2[1], `data-position=\"1\"`) || e2[0] <= e1[0] && len(e2[0]) <= len(e1[0]) {
		t.Fatalf("second event %q after %q", e2, e1)
	}
}

func mustGet(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	_, body := get(t, c, u)
	return body
}
