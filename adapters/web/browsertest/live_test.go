package browsertest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

// TestKnockToWaitingRoomWithJavaScript: knock in the browser, then the fake's
// change feed moves the queue; the place and finally the admission signal
// arrive over SSE without a reload.
func TestKnockToWaitingRoomWithJavaScript(t *testing.T) {
	srv, fake := site(t)
	ctx := browser(t)
	clerk := web.Principal{ID: webtest.StaffClerk, Role: web.RoleClerk, Offices: []string{webtest.OfficeResidents}}
	first := fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Erste", Language: "de"})

	do(t, ctx,
		chromedp.Navigate(srv.URL+"/offices/"+webtest.OfficeResidents+"/knock"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Robin"),
		chromedp.SetValue(chromedp.CSS("#service"), "meldung"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS(`[data-position="2"]`)),
	)
	// Mark the document: if the page reloads, the mark is gone.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__noReload = true`))

	if _, err := fake.Ports().Desk.Admit(context.Background(), clerk, webtest.OfficeResidents, first.VisitID); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!!document.querySelector('[data-position="1"]') && window.__noReload === true`)

	// Admit Robin: the admission notice, the join link focused and the title.
	robin, err := fake.Ports().Desk.Queue(context.Background(), clerk, webtest.OfficeResidents)
	if err != nil || len(robin.Entries) != 1 {
		t.Fatalf("queue: %v %+v", err, robin)
	}
	if _, err := fake.Ports().Desk.Admit(context.Background(), clerk, webtest.OfficeResidents, robin.Entries[0].VisitID); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!!document.querySelector(".bb-signal") && document.activeElement.getAttribute("href") === "/visit/call" && document.getElementById("withdraw-form").hidden && window.__noReload === true`)
	if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, "hereingebeten") {
		t.Errorf("title %q does not signal the admission", title)
	}
	if live := eval[string](t, ctx, `document.getElementById("waiting-status").getAttribute("aria-live")`); live != "polite" {
		t.Errorf("waiting status is not a live region: %q", live)
	}
	screenshot(t, ctx, "23-waiting-admitted")
}

// TestClerkQueueAlertsOnKnock: a knock arriving while the clerk looks at the
// queue shows the knock alert and the new row, live.
func TestClerkQueueAlertsOnKnock(t *testing.T) {
	srv, fake := site(t)
	ctx := browser(t)
	signIn(t, ctx, srv.URL, "clerk")
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/staff/offices/"+webtest.OfficeResidents+"/queue"),
		chromedp.WaitVisible(chromedp.CSS("#queue")),
	)
	// Wait until the stream delivered its first state (data-count stays 0).
	time.Sleep(300 * time.Millisecond)
	fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Neu Angeklopft", Language: "en", Needs: []string{"sign_language"}})
	waitJS(t, ctx, `!document.getElementById("knock-alert").hidden && document.querySelector("#queue table") !== null && document.title.startsWith("(1)")`)
	if text := eval[string](t, ctx, `document.querySelector("#queue table").textContent`); !strings.Contains(text, "Neu Angeklopft") || !strings.Contains(text, "Gebärdensprache") {
		t.Errorf("queue row lacks the new visit: %.300s", text)
	}
	checkAxe(t, ctx, "queue-live")
	screenshot(t, ctx, "24-queue-knock-alert")
}

func waitJS(t *testing.T, ctx context.Context, predicate string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v", predicate, err)
	}
}

// TestDoorsUpdateLive: a door opening shows on the start page without a
// reload, with the knock button and a screen-reader announcement.
func TestDoorsUpdateLive(t *testing.T) {
	srv, fake := site(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#office-"+webtest.OfficeVehicles)))
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__noReload = true`))
	if eval[bool](t, ctx, `!!document.querySelector('#office-`+webtest.OfficeVehicles+` a[href="/offices/`+webtest.OfficeVehicles+`/knock"]')`) {
		t.Fatal("closed office offers knocking")
	}
	time.Sleep(300 * time.Millisecond) // let the stream subscribe; the snapshot covers a miss anyway
	if err := fake.SetDoor(webtest.OfficeVehicles, web.DoorOpen); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!!document.querySelector('#office-`+webtest.OfficeVehicles+` a[href="/offices/`+webtest.OfficeVehicles+`/knock"]') && window.__noReload === true`)
	if got := eval[string](t, ctx, `document.getElementById("door-announcer").textContent`); got != "Kfz-Zulassung: Offen" {
		t.Errorf("announcement %q", got)
	}
}

// TestDeviceCheck: with Chromium's fake devices the preview plays, the
// devices are listed and the microphone meter moves.
func TestDeviceCheck(t *testing.T) {
	srv, _ := site(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/devices"), chromedp.WaitVisible(chromedp.CSS("#start-check")), chromedp.Click(chromedp.CSS("#start-check")))
	waitJS(t, ctx, `document.getElementById("device-status").textContent === "Kamera und Mikrofon funktionieren."`)
	waitJS(t, ctx, `document.getElementById("camera").options.length > 1 && document.getElementById("microphone").options.length > 1`)
	waitJS(t, ctx, `document.getElementById("preview").videoWidth > 0 && document.getElementById("level").value > 0`)
	checkAxe(t, ctx, "devices-running")
}
