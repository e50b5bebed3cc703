package e2e_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/buergerbuero/buergerbuero/adapters/e2e/internal/stack"
)

// capturePeers records every RTCPeerConnection a page creates in
// window.__pcs, so the test can read getStats() without a hook in the
// page's own modules. It runs before the page's scripts (CDP injection is
// not subject to the page's CSP).
const capturePeers = `(() => {
  const Orig = window.RTCPeerConnection;
  if (!Orig) return;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Orig {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
})();`

// framesDecoded sums inbound video frames decoded over the page's peers.
const framesDecoded = `(async () => {
  let n = 0;
  for (const pc of (window.__pcs || [])) {
    const stats = await pc.getStats();
    stats.forEach((r) => { if (r.type === "inbound-rtp" && r.kind === "video") n += r.framesDecoded || 0; });
  }
  return n;
})()`

func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed: install it (Debian: apt-get install chromium) or set CHROMIUM to its path")
	return ""
}

// browser starts one headless Chromium with a fresh profile and returns n
// tabs in separate browser contexts (separate cookies: one per person). It
// is closed when the test ends.
func browser(t *testing.T, n int) []context.Context {
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
		chromedp.Flag("disable-features", "WebRtcHideLocalIpsWithMdns"),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	first, cancelFirst := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelFirst()
		cancelAlloc()
	})
	if err := chromedp.Do(first, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	tabs := make([]context.Context, n)
	for i := range tabs {
		tab, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		inject := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: capturePeers})
			return err
		})
		if err := chromedp.Do(tab, chromedp.Navigate("about:blank"), inject); err != nil {
			t.Fatalf("opening tab %d: %v", i, err)
		}
		tabs[i] = tab
	}
	return tabs
}

// step bounds one browser action, so a stuck page fails the test instead
// of hanging it.
func step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// waitJS polls a predicate (which may return a promise) in the page until
// it holds; evaluation errors while the page navigates are retried.
func waitJS(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool](predicate, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waiting for %s (%s): last error %v", what, predicate, last)
}

// callState describes a call page for a failure message.
const callState = `JSON.stringify({status: document.getElementById("call-status") && document.getElementById("call-status").textContent,
  peers: (window.__pcs || []).map((pc) => ({conn: pc.connectionState, ice: pc.iceConnectionState, sig: pc.signalingState,
    recv: pc.getReceivers().map((r) => r.track && r.track.kind + ":" + r.track.readyState)}))})`

// waitFrames waits until the page decoded inbound video frames.
func waitFrames(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if eval[float64](t, ctx, framesDecoded) > 0 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s decoded no video: %s", who, eval[string](t, ctx, callState))
}

// outDir is where screenshots go: $E2E_OUT, else the test's temp dir.
func outDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("E2E_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	// Several tabs share one browser: a background tab may have no layout
	// size, so the tab comes to the front first.
	front := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return err
	})
	step(t, ctx, "bring "+name+" to the front", front)
	waitJS(t, ctx, "a loaded page for "+name, `document.readyState === "complete" && document.documentElement.clientWidth > 0`)
	var png []byte
	var err error
	for range 3 { // a page may still be swapping documents
		c, cancel := context.WithTimeout(ctx, 20*time.Second)
		png, err = chromedp.Run(c, chromedp.FullScreenshot(100))
		cancel()
		if err == nil {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if len(png) < 1000 {
		t.Fatalf("screenshot %s: only %d bytes", name, len(png))
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func signIn(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	step(t, ctx, "sign in "+user,
		chromedp.Navigate(base+"/staff/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), stack.Password),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	waitJS(t, ctx, user+" signed in", `!!document.querySelector('form[action="/staff/logout"]')`)
}
