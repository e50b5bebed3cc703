package browsertest_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

//go:embed testdata/axe.min.js
var axeSource string

// chromiumPath finds Chromium; the test fails (never skips) without it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed: install it (Debian: apt-get install chromium) or set CHROMIUM to its path")
	return ""
}

// site starts the web handler with the in-memory fake on 127.0.0.1:0.
func site(t *testing.T) (*webtest.Server, *webtest.Fake) {
	t.Helper()
	fake := webtest.New(nil)
	return webtest.Serve(t, fake, webtest.Options{Web: web.Config{Heartbeat: 2 * time.Second}}), fake
}

// browser starts a fresh headless Chromium with its own profile directory;
// it is closed when the test ends.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		// WebRTC over loopback only: real host addresses, no mDNS names.
		chromedp.Flag("allow-loopback-in-peer-connection", true),
		// getDisplayMedia without a picker: share this tab.
		chromedp.Flag("auto-accept-this-tab-capture", true),
		chromedp.Flag("disable-features", "WebRtcHideLocalIpsWithMdns"),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %q: %v", expr, err)
	}
	return v
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkAxe injects axe-core and fails on any WCAG 2.1 A/AA violation.
func checkAxe(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !eval[bool](t, ctx, `typeof axe !== "undefined"`) {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			t.Fatalf("inject axe: %v", err)
		}
	}
	raw := eval[string](t, ctx, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a","wcag2aa","wcag21a","wcag21aa"]}}).then(r => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		for _, n := range v.Nodes {
			t.Errorf("%s: axe %s (%s): %s at %v: %.200s", name, v.ID, v.Impact, v.Help, n.Target, n.HTML)
		}
	}
}

// screenshot saves a full-page PNG under $BROWSERTEST_OUT (or the test's temp
// dir), and also under testdata/screenshots when BROWSERTEST_SCREENSHOTS=1.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 1000 {
		t.Fatalf("%s: screenshot of %d bytes", name, len(png))
	}
	dirs := []string{os.Getenv("BROWSERTEST_OUT")}
	if dirs[0] == "" {
		dirs[0] = t.TempDir()
	}
	if os.Getenv("BROWSERTEST_SCREENSHOTS") == "1" {
		dirs = append(dirs, filepath.Join("testdata", "screenshots"))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(d, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}
}

func signIn(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/staff/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), webtest.Password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/staff/logout"]`)),
	)
}

// TestPagesAreAccessible opens every main page, runs axe-core (0 violations
// allowed), checks that the first Tab reaches the skip link and saves a
// screenshot.
func TestPagesAreAccessible(t *testing.T) {
	srv, fake := site(t)
	ctx := browser(t)
	base := srv.URL
	fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Erste Person", Language: "en", Needs: []string{"captions"}})

	check := func(name, path string, wait string) {
		t.Helper()
		do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(wait)))
		if lang := eval[string](t, ctx, `document.documentElement.lang`); lang == "" {
			t.Errorf("%s: no lang attribute", name)
		}
		if !eval[bool](t, ctx, `!!document.querySelector("header") && !!document.querySelector("nav") && !!document.querySelector("main#main") && !!document.querySelector("footer")`) {
			t.Errorf("%s: landmarks missing", name)
		}
		screenshot(t, ctx, name)
		// Keyboard: the first Tab lands on the skip link, which is then visible.
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`), chromedp.KeyEvent("\t"))
		if cls := eval[string](t, ctx, `document.activeElement.className`); cls != "bb-skip-link" {
			t.Errorf("%s: first Tab focused %q, want the skip link", name, cls)
		}
		if left := eval[float64](t, ctx, `document.activeElement.getBoundingClientRect().left`); left < 0 {
			t.Errorf("%s: focused skip link is off screen", name)
		}
		checkAxe(t, ctx, name)
	}

	// Citizen pages.
	check("01-start", "/", "#offices")
	// Negative control: axe does find a violation when one is there.
	if n := eval[int](t, ctx, `(() => { const i = document.createElement("img"); i.src = "data:,"; document.querySelector("main").append(i); return axe.run(document, {runOnly: ["image-alt"]}).then(r => r.violations.length); })()`); n != 1 {
		t.Fatalf("axe negative control found %d violations, want 1", n)
	}
	focusOrder(t, ctx, base)
	check("02-devices", "/devices", "#start-check")
	check("03-knock", "/offices/"+webtest.OfficeResidents+"/knock", "#name")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#name"), "Robin"),
		chromedp.SetValue(chromedp.CSS("#service"), "ausweis"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("#waiting-status")),
	)
	check("04-waiting", "/visit", "[data-position]")
	check("05-appointments", "/appointments?office="+webtest.OfficeResidents+"&service=ausweis&day=2026-11-25", "#appt-name")
	check("06-appointment-manage", "/appointments/manage", "#manage-code")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#manage-code"), webtest.AppointmentCode),
		chromedp.Submit(chromedp.CSS("#manage-code")),
		chromedp.WaitVisible(chromedp.CSS("#appt-code")),
	)
	check("07-appointment-confirmation", "/appointments/confirmation?day=2026-11-26", "#appt-code")
	check("08-case-find", "/case", "#case-ref")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#case-ref"), webtest.CaseReference),
		chromedp.SendKeys(chromedp.CSS("#case-token"), webtest.CaseToken),
		chromedp.Submit(chromedp.CSS("#case-token")),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	)
	check("09-case-view", "/case/view", "h1")
	check("10-start-en", "/?lang=en", "#offices")
	do(t, ctx, chromedp.Navigate(base+"/?lang=de"))

	// Clerk pages.
	check("11-login", "/staff/login", "#username")
	signIn(t, ctx, base, "clerk")
	check("12-desk", "/staff", "h1")
	check("13-queue", "/staff/offices/"+webtest.OfficeResidents+"/queue", "#queue table")
	do(t, ctx, chromedp.Click(chromedp.CSS(`button[type="submit"][class~="kern-btn--primary"]`)), chromedp.WaitVisible(chromedp.CSS("#call")))
	path := eval[string](t, ctx, `location.pathname`)
	check("14-clerk-call", path, "#call")
	check("15-cases", "/staff/cases", "table")
	check("16-case", "/staff/cases/"+webtest.CaseReference, "#note-text")
	check("17-today", "/staff/appointments?day=2026-11-25", "h1")

	// Auditor.
	signIn(t, ctx, base, "auditor")
	check("18-audit", "/audit", "#audit-ref")
	check("19-timeline", "/audit/cases/"+webtest.CaseReference+"?step=2", "#step")
	// Keyboard stepping with the slider: End goes to the last step.
	do(t, ctx, chromedp.Focus(chromedp.CSS("#step")), chromedp.KeyEvent(kb.End))
	if v := eval[string](t, ctx, `document.getElementById("step").value + ":" + !document.getElementById("step-4").hidden + ":" + document.getElementById("step-2").hidden`); v != "4:true:true" {
		t.Errorf("timeline after End key: %q, want step 4 shown and step 2 hidden", v)
	}

	// Admin.
	signIn(t, ctx, base, "admin")
	check("20-admin-offices", "/admin", "#office-name")
	check("21-admin-staff", "/admin/staff", "#ns-name")
}

// TestCitizenCallPageGetsCameraAndShowsControls: the call page of an admitted
// visit renders and, with Chromium's fake camera, shows the local video once
// the call starts (the WHIP POST fails here: no relay, so the status says so).
func TestCallPageStartsLocalMedia(t *testing.T) {
	srv, fake := site(t)
	ctx := browser(t)
	pass := fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Robin", Language: "de"})
	clerk := web.Principal{ID: webtest.StaffClerk, Role: web.RoleClerk, Offices: []string{webtest.OfficeResidents}}
	if _, err := fake.Ports().Desk.Admit(context.Background(), clerk, webtest.OfficeResidents, pass.VisitID); err != nil {
		t.Fatal(err)
	}
	// Give the browser the visit cookie as the knock would.
	do(t, ctx, chromedp.Navigate(srv.URL+"/devices"))
	do(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.cookie = "bb_visit=%s~%s; path=/"`, pass.VisitID, pass.Token)))
	do(t, ctx, chromedp.Navigate(srv.URL+"/visit/call"), chromedp.WaitVisible(chromedp.CSS("#call-start")))
	checkAxe(t, ctx, "call")
	do(t, ctx, chromedp.Click(chromedp.CSS("#call-start")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const v = document.getElementById("local-video"); return !!(v.srcObject && v.srcObject.getVideoTracks().length > 0); })()`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("local video never started: %v", err)
	}
	// Without a relay the WHIP POST fails and the status region says so.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("call-status").textContent.includes("fehlgeschlagen")`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("status did not report the failed connection: %v", err)
	}
	screenshot(t, ctx, "22-citizen-call")
}

// focusOrder tabs through the start page: skip link, brand, language switch,
// main navigation, then the page; every focused element shows an outline;
// Enter on the skip link moves focus to main.
func focusOrder(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#offices")))
	var got []string
	for range 9 {
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		got = append(got, eval[string](t, ctx, `(() => { const e = document.activeElement; const s = getComputedStyle(e); const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2; return (ring ? "" : "NO-OUTLINE ") + e.textContent.trim().replace(/\s+/g, " "); })()`))
	}
	want := []string{"Zum Inhalt springen", "Virtuelles Bürgerbüro", "Deutsch", "English", "Büros", "Termine", "Mein Anliegen", "Kamera und Mikrofon testen", "Vorher Kamera und Mikrofon testen"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("focus order:\n got  %q\n want %q", got, want)
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(".bb-skip-link").focus()`), chromedp.KeyEvent(kb.Enter))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "main" {
		t.Errorf("skip link moved focus to %q, want main", id)
	}
}
