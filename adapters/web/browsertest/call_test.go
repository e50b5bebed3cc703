package browsertest_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

// whipPeer is a stand-in for the media relay (adapters/media) speaking its
// protocol: WHIP-style POST of a complete offer, a complete answer, the
// "chat" channel echoing as JSON {from, role, text}, and a server-initiated
// renegotiation on "signalling" once it opens. It uses loopback only.
type whipPeer struct {
	t        *testing.T
	token    string
	mu       sync.Mutex
	pcs      []*webrtc.PeerConnection
	answered chan struct{} // closed when the client answered the relay offer
}

func newWHIPPeer(t *testing.T, token string) *whipPeer {
	p := &whipPeer{t: t, token: token, answered: make(chan struct{})}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, pc := range p.pcs {
			_ = pc.Close()
		}
	})
	return p
}

// loopbackOnly drops every ICE candidate that is not 127.0.0.1, so no
// connectivity check leaves the loopback interface.
func loopbackOnly(sdp string) string {
	var out []string
	for _, line := range strings.Split(sdp, "\r\n") {
		if strings.HasPrefix(line, "a=candidate:") && !strings.Contains(line, " 127.0.0.1 ") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\r\n")
}

func (p *whipPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/sdp" || r.Header.Get("Authorization") != "Bearer "+p.token {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	offer, _ := io.ReadAll(r.Body)
	me := &webrtc.MediaEngine{}
	if err := me.RegisterDefaultCodecs(); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	p.mu.Lock()
	p.pcs = append(p.pcs, pc)
	p.mu.Unlock()
	pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		switch dc.Label() {
		case "chat":
			dc.OnMessage(func(m webrtc.DataChannelMessage) {
				b, _ := json.Marshal(map[string]string{"from": "p-clerk", "role": "clerk", "text": "Echo: " + string(m.Data)})
				_ = dc.SendText(string(b))
			})
		case "signalling":
			dc.OnMessage(func(m webrtc.DataChannelMessage) {
				var msg struct{ Type, SDP string }
				if json.Unmarshal(m.Data, &msg) != nil || msg.Type != "answer" {
					return
				}
				if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: loopbackOnly(msg.SDP)}); err != nil {
					p.t.Errorf("relay: applying the client's answer: %v", err)
					return
				}
				close(p.answered)
			})
			dc.OnOpen(func() { go p.renegotiate(pc, dc) })
		}
	})
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: loopbackOnly(string(offer))}); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	<-gathered
	w.Header().Set("Content-Type", "application/sdp")
	w.Header().Set("Location", r.URL.Path+"/session")
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, pc.LocalDescription().SDP)
}

// renegotiate adds a track (as when another participant publishes) and
// sends the new complete offer on the signalling channel.
func (p *whipPeer) renegotiate(pc *webrtc.PeerConnection, dc *webrtc.DataChannel) {
	track, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", "p-clerk")
	if err != nil {
		p.t.Errorf("relay: %v", err)
		return
	}
	if _, err := pc.AddTrack(track); err != nil {
		p.t.Errorf("relay: %v", err)
		return
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		p.t.Errorf("relay: %v", err)
		return
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		p.t.Errorf("relay: %v", err)
		return
	}
	<-gathered
	b, _ := json.Marshal(map[string]any{"type": "offer", "sdp": pc.LocalDescription().SDP, "participants": map[string]string{"p-clerk": "clerk"}})
	_ = dc.SendText(string(b))
}

// TestCallAgainstAWHIPRelay runs call.js in Chromium against a Pion peer
// speaking the relay's protocol: connect, mute, camera off, chat round trip,
// and a server-initiated renegotiation answered on "signalling".
func TestCallAgainstAWHIPRelay(t *testing.T) {
	fake := webtest.New(nil)
	pages := webtest.Serve(t, fake, webtest.Options{})
	pass := fake.Knock(web.KnockRequest{OfficeID: webtest.OfficeResidents, ServiceID: "ausweis", DisplayName: "Robin", Language: "de"})
	clerk := web.Principal{ID: webtest.StaffClerk, Role: web.RoleClerk, Offices: []string{webtest.OfficeResidents}}
	if _, err := fake.Ports().Desk.Admit(context.Background(), clerk, webtest.OfficeResidents, pass.VisitID); err != nil {
		t.Fatal(err)
	}
	relay := newWHIPPeer(t, "admission-"+pass.Token)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", relay)
	mux.Handle("/", pages.API.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/devices"))
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.cookie = "bb_visit=`+pass.VisitID+`~`+pass.Token+`; path=/"`))
	do(t, ctx, chromedp.Navigate(srv.URL+"/visit/call"), chromedp.WaitVisible(chromedp.CSS("#call-start")), chromedp.Click(chromedp.CSS("#call-start")))
	waitJS(t, ctx, `document.getElementById("call-status").textContent === "Verbunden." || document.getElementById("call-status").textContent.includes("fehlgeschlagen")`)
	if s := eval[string](t, ctx, `document.getElementById("call-status").textContent`); s != "Verbunden." {
		t.Fatalf("call status %q, want connected", s)
	}

	select {
	case <-relay.answered:
	case <-time.After(15 * time.Second):
		t.Fatal("the client never answered the relay's offer on the signalling channel")
	}
	waitJS(t, ctx, `(() => { const v = document.getElementById("remote-video"); return !!(v.srcObject && v.srcObject.getVideoTracks().length > 0); })()`)

	do(t, ctx, chromedp.Click(chromedp.CSS("#call-mute")))
	waitJS(t, ctx, `document.getElementById("call-mute").getAttribute("aria-pressed") === "true" && document.getElementById("call-status").textContent === "Mikrofon stumm."`)
	do(t, ctx, chromedp.Click(chromedp.CSS("#call-camera")))
	waitJS(t, ctx, `document.getElementById("call-camera").getAttribute("aria-pressed") === "true" && document.getElementById("call-status").textContent === "Kamera aus."`)

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#chat-text"), "Guten Tag"), chromedp.Click(chromedp.CSS("#chat-send")))
	waitJS(t, ctx, `document.getElementById("chat-log").textContent.includes("Echo: Guten Tag")`)
	screenshot(t, ctx, "25-call-connected")

	// Screen sharing swaps the sent video track (no renegotiation) and back.
	do(t, ctx, chromedp.Click(chromedp.CSS("#call-share")))
	waitJS(t, ctx, `document.getElementById("call-share").getAttribute("aria-pressed") === "true" && document.getElementById("call-status").textContent === "Sie teilen Ihren Bildschirm."`)
	do(t, ctx, chromedp.Click(chromedp.CSS("#call-share")))
	waitJS(t, ctx, `document.getElementById("call-share").getAttribute("aria-pressed") === "false" && document.getElementById("call-status").textContent === "Bildschirmfreigabe beendet."`)
	// Leaving ends the session and returns to the start page.
	do(t, ctx, chromedp.Click(chromedp.CSS("#call-leave")), chromedp.WaitVisible(chromedp.CSS("#offices")))
}
