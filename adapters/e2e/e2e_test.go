package e2e_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/buergerbuero/buergerbuero/adapters/e2e/internal/stack"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

var caseRef = regexp.MustCompile(`[A-Z]{2}-\d{4}-\d{6}`)

// TestCitizenMeetsClerkAndAuditorReplays is the whole story on the
// real stack: a citizen knocks, the signed-in clerk sees the knock live and
// admits, both join the call and receive each other's video through the
// relay, the clerk notes and closes the case, and an auditor replays it
// with every step and a verified hash chain.
func TestCitizenMeetsClerkAndAuditorReplays(t *testing.T) {
	s := stack.Start(t)
	office := s.Offices[0]
	oid, svc := office.OfficeID.String(), office.Services[0]
	s.Account(t, "clerk", staff.RoleClerk, office.OfficeID)
	s.Account(t, "auditor", staff.RoleAuditor)
	dir := outDir(t)
	tabs := browser(t, 3)
	citizen, clerk, auditor := tabs[0], tabs[1], tabs[2]

	// The clerk signs in and opens the door.
	signIn(t, clerk, s.URL, "clerk")
	screenshot(t, clerk, dir, "01-clerk-desk")
	step(t, clerk, "go on duty", chromedp.Click(chromedp.CSS(`form[action="/staff/offices/`+oid+`/duty"] button[value="on"]`)))
	waitJS(t, clerk, "the queue page", `!!document.getElementById("queue")`)

	// The citizen sees the open door and knocks.
	step(t, citizen, "start page", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`a[href="/offices/`+oid+`/knock"]`)))
	screenshot(t, citizen, dir, "02-home")
	step(t, citizen, "knock form",
		chromedp.Navigate(s.URL+"/offices/"+oid+"/knock"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Ada"),
		chromedp.SetValue(chromedp.CSS("#service"), svc.ID.String()),
	)
	screenshot(t, citizen, dir, "03-knock")
	step(t, citizen, "knock", chromedp.Submit(chromedp.CSS("#name")))
	waitJS(t, citizen, "the waiting room", `!!document.querySelector('[data-position="1"]')`)
	screenshot(t, citizen, dir, "04-waiting")

	// The clerk's queue shows the knock without a reload.
	waitJS(t, clerk, "the knock in the clerk's queue",
		`!!document.querySelector("#queue table") && document.querySelector("#queue table").textContent.includes("Ada") && !document.getElementById("knock-alert").hidden`)
	screenshot(t, clerk, dir, "05-queue-knock")

	// Admission: the clerk lands on the call page, the citizen's waiting
	// room turns into the invitation.
	step(t, clerk, "admit next", chromedp.Click(chromedp.CSS(`form[action="/staff/offices/`+oid+`/admit"] button`)))
	waitJS(t, clerk, "the clerk's call page", `!!document.getElementById("call-start") && !!document.getElementById("case-heading")`)
	ref := caseRef.FindString(eval[string](t, clerk, `document.getElementById("case-heading").textContent`))
	if ref == "" {
		t.Fatal("the clerk's call page shows no case reference")
	}
	waitJS(t, citizen, "the admission on the waiting page", `!!document.querySelector('a[href="/visit/call"]')`)
	screenshot(t, citizen, dir, "06-waiting-admitted")
	step(t, citizen, "citizen's call page", chromedp.Navigate(s.URL+"/visit/call"), chromedp.WaitVisible(chromedp.CSS("#call-start")))

	// Both join; each receives the other's video through the relay.
	step(t, clerk, "clerk joins", chromedp.Click(chromedp.CSS("#call-start")))
	step(t, citizen, "citizen joins", chromedp.Click(chromedp.CSS("#call-start")))
	waitFrames(t, citizen, "citizen")
	waitFrames(t, clerk, "clerk")
	screenshot(t, citizen, dir, "07-call-citizen")
	screenshot(t, clerk, dir, "08-call-clerk")
	step(t, citizen, "citizen leaves", chromedp.Click(chromedp.CSS("#call-leave")))
	waitJS(t, citizen, "the citizen left the call page", `location.pathname !== "/visit/call" && document.readyState === "complete"`)
	step(t, clerk, "clerk leaves", chromedp.Click(chromedp.CSS("#call-leave")))
	waitJS(t, clerk, "the clerk left the call page", `!location.pathname.startsWith("/staff/calls/") && document.readyState === "complete"`)

	// The clerk notes and closes the case.
	step(t, clerk, "case page", chromedp.Navigate(s.URL+"/staff/cases/"+ref), chromedp.WaitVisible(chromedp.CSS("#note-text")))
	step(t, clerk, "add note",
		chromedp.SendKeys(chromedp.CSS("#note-text"), "Antrag vollständig, Ausweis wird zugeschickt."),
		chromedp.Click(chromedp.CSS(`form[action="/staff/cases/`+ref+`/note"] button[type="submit"]`)),
	)
	waitJS(t, clerk, "the note on the case page", `location.search.includes("note_added") && document.readyState === "complete" && document.body.textContent.includes("Antrag vollständig")`)
	step(t, clerk, "close case",
		chromedp.SetValue(chromedp.CSS("#case-outcome"), "resolved"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/cases/`+ref+`/close"] button[type="submit"]`)),
	)
	waitJS(t, clerk, "the closed case", `location.search.includes("closed") && document.readyState === "complete"`)
	screenshot(t, clerk, dir, "09-case-closed")
	closed, err := s.Ports.Cases.ListCases(context.Background(), mustPrincipal(t, s, "clerk"), "closed")
	if err != nil || len(closed) != 1 || closed[0].Reference != ref {
		t.Fatalf("closed cases: %+v %v", closed, err)
	}

	// The auditor replays the case: every step and a verified chain.
	signIn(t, auditor, s.URL, "auditor")
	step(t, auditor, "timeline", chromedp.Navigate(s.URL+"/audit/cases/"+ref), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	if !eval[bool](t, auditor, `!!document.querySelector(".kern-alert--success")`) {
		t.Fatal("the timeline does not show a verified integrity result")
	}
	steps := eval[[]string](t, auditor, `[...document.querySelectorAll("[data-step-item]")].map((li) => li.textContent)`)
	all := strings.Join(steps, "\n")
	if n := strings.Count(all, "CallParticipantJoined"); n != 2 {
		t.Errorf("timeline has %d participants joining, want the citizen and the clerk:\n%s", n, all)
	}
	for _, want := range []string{"CaseOpened", "CallStarted", "CallEnded", "CaseNoteAdded", "CaseClosed"} {
		if !strings.Contains(all, want) {
			t.Errorf("timeline misses %s:\n%s", want, all)
		}
	}
	screenshot(t, auditor, dir, "10-audit-timeline")
	exported := eval[float64](t, auditor, `fetch("/audit/cases/`+ref+`/export.json").then((r) => r.json()).then((x) => x.steps.length)`)
	if int(exported) != len(steps) {
		t.Errorf("export has %v steps, the timeline %d", exported, len(steps))
	}
}

// TestAppointmentBookedThenKnockedWithItsCode: a citizen books a slot in the
// browser, gets a code, and knocking with it puts them in the queue as an
// appointment.
func TestAppointmentBookedThenKnockedWithItsCode(t *testing.T) {
	s := stack.Start(t)
	office := s.Offices[0]
	oid, sid := office.OfficeID.String(), office.Services[0].ID.String()
	s.Account(t, "clerk", staff.RoleClerk, office.OfficeID)
	dir := outDir(t)
	tabs := browser(t, 2)
	citizen, clerk := tabs[0], tabs[1]

	day := s.Now().Format("2006-01-02")
	step(t, citizen, "slots",
		chromedp.Navigate(s.URL+"/appointments?office="+oid+"&service="+sid+"&day="+day),
		chromedp.WaitVisible(chromedp.CSS(`input[name="slot"]`)),
	)
	screenshot(t, citizen, dir, "01-appointments")
	step(t, citizen, "book",
		chromedp.Click(chromedp.CSS(`input[name="slot"]`)),
		chromedp.SendKeys(chromedp.CSS("#appt-name"), "Grace"),
		chromedp.Submit(chromedp.CSS("#appt-name")),
	)
	waitJS(t, citizen, "the confirmation", `!!document.getElementById("appt-code")`)
	code := strings.TrimSpace(eval[string](t, citizen, `document.getElementById("appt-code").textContent`))
	if code == "" {
		t.Fatal("no confirmation code")
	}
	screenshot(t, citizen, dir, "02-confirmation")

	signIn(t, clerk, s.URL, "clerk")
	step(t, clerk, "go on duty", chromedp.Click(chromedp.CSS(`form[action="/staff/offices/`+oid+`/duty"] button[value="on"]`)))
	waitJS(t, clerk, "the queue page", `!!document.getElementById("queue")`)
	step(t, citizen, "knock with the code",
		chromedp.Navigate(s.URL+"/offices/"+oid+"/knock"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Grace"),
		chromedp.SetValue(chromedp.CSS("#service"), sid),
	)
	// The form offers the code of the appointment booked in this browser;
	// the citizen may type it in any case.
	if got := eval[string](t, citizen, `document.getElementById("code").value`); got != code {
		t.Errorf("knock form offers code %q, want %q", got, code)
	}
	step(t, citizen, "knock",
		chromedp.SetValue(chromedp.CSS("#code"), strings.ToLower(code)),
		chromedp.Submit(chromedp.CSS("#name")),
	)
	waitJS(t, citizen, "the waiting room", `!!document.querySelector('[data-position="1"]')`)
	screenshot(t, citizen, dir, "03-waiting-with-appointment")
	waitJS(t, clerk, "the appointment in the queue",
		`!!document.querySelector("#queue table .kern-badge--info") && document.querySelector("#queue table").textContent.includes("Grace")`)
	screenshot(t, clerk, dir, "04-queue-appointment")
	step(t, clerk, "today's appointments", chromedp.Navigate(s.URL+"/staff/appointments?office="+oid+"&day="+day), chromedp.WaitVisible(chromedp.CSS("main")))
	if rows := eval[[]string](t, clerk, `[...document.querySelectorAll("main table tbody tr")].map((tr) => tr.textContent)`); len(rows) != 1 || !strings.Contains(rows[0], "Grace") {
		t.Errorf("today's appointments: %q", rows)
	}
	screenshot(t, clerk, dir, "05-today")
}

func mustPrincipal(t *testing.T, s *stack.Stack, user string) web.Principal {
	t.Helper()
	acc, err := s.Staff.VerifyLogin(context.Background(), user, stack.Password)
	if err != nil {
		t.Fatal(err)
	}
	p := web.Principal{ID: acc.ID.String(), Role: acc.Roles[0].String(), Name: acc.Username}
	for _, o := range acc.Offices {
		p.Offices = append(p.Offices, o.String())
	}
	return p
}
