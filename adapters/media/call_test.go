package media_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

const packets = 300

func TestTwoPartyCallRelaysMediaChatAndKeyframeRequests(t *testing.T) {
	r := newRelay(t, testConfig(), nil)
	citizen, clerk := call(t, r, "room-two")

	cs, ks := &sender{c: citizen}, &sender{c: clerk}
	citizenReady, clerkReady := hasMedia(citizen, clerk.id), hasMedia(clerk, citizen.id)
	waitFor(t, "media both ways", func() bool {
		cs.write([]byte("warm"), []byte("warm"))
		ks.write([]byte("warm"), []byte("warm"))
		return citizenReady() && clerkReady()
	})

	done := make(chan [2]uint16)
	go func() { a, v := ks.sendData(packets); done <- [2]uint16{a, v} }()
	ca, cv := cs.sendData(packets)
	k := <-done
	checkData(t, clerk.track(citizen.id, "audio"), "audio", ca, packets, audioSize)
	checkData(t, clerk.track(citizen.id, "video"), "video", cv, packets, videoSize)
	checkData(t, citizen.track(clerk.id, "audio"), "audio", k[0], packets, audioSize)
	checkData(t, citizen.track(clerk.id, "video"), "video", k[1], packets, videoSize)

	// Chat: relayed with the sender's ID and role, never echoed back.
	<-citizen.chatOpen
	<-clerk.chatOpen
	if err := citizen.chat.SendText("Guten Tag, ich brauche einen Ausweis."); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-clerk.chatIn:
		if m.From != citizen.id || m.Role != "citizen" || m.Text != "Guten Tag, ich brauche einen Ausweis." {
			t.Fatalf("chat relayed as %+v", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("chat message not relayed")
	}
	select {
	case m := <-citizen.chatIn:
		t.Fatalf("chat echoed to its sender: %+v", m)
	default:
	}

	// A flood is cut to the chat rate limit (burst 20, then 5/s).
	start := time.Now()
	for i := 0; i < 60; i++ {
		if err := clerk.chat.SendText("flood"); err != nil {
			t.Fatal(err)
		}
	}
	got, deadline := 0, time.After(15*time.Second)
	for quiet := false; !quiet; {
		select {
		case <-citizen.chatIn:
			got++
		case <-time.After(time.Second):
			quiet = got >= 20 // the burst must get through; then wait for silence
		case <-deadline:
			quiet = true
		}
	}
	if limit := 20 + int(5*time.Since(start).Seconds()) + 1; got < 20 || got > limit || got == 60 {
		t.Fatalf("flood of 60 delivered %d messages, want 20..%d", got, limit)
	}

	// A PLI from the clerk for the citizen's video reaches the citizen.
	video := clerk.track(citizen.id, "video").track
	before := citizen.plis.Load()
	waitFor(t, "PLI at the sender", func() bool {
		_ = clerk.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(video.SSRC())}})
		time.Sleep(50 * time.Millisecond)
		return citizen.plis.Load() > before
	})
	if s := r.Stats(); s.Rooms != 1 || s.Participants != 2 || s.PacketsForwarded < 4*packets {
		t.Fatalf("stats %+v", s)
	}
}

func TestGuestJoinsMidCallLeavesAndRoomCloses(t *testing.T) {
	rec := &recorder{}
	r := newRelay(t, testConfig(), rec)
	citizen, clerk := call(t, r, "room-guest")
	cs, ks := &sender{c: citizen}, &sender{c: clerk}
	cs.warmUntil(t, hasMedia(clerk, citizen.id))
	ks.warmUntil(t, hasMedia(citizen, clerk.id))

	interpreter := newTestClient(t)
	if err := interpreter.join(r, "room-guest", media.RoleInterpreter); err != nil {
		t.Fatalf("interpreter join: %v", err)
	}
	waitFor(t, "interpreter receives both", func() bool {
		cs.write([]byte("warm"), []byte("warm"))
		ks.write([]byte("warm"), []byte("warm"))
		return hasMedia(interpreter, citizen.id)() && hasMedia(interpreter, clerk.id)()
	})
	ca, cv := cs.sendData(packets)
	checkData(t, interpreter.track(citizen.id, "audio"), "audio", ca, packets, audioSize)
	checkData(t, interpreter.track(citizen.id, "video"), "video", cv, packets, videoSize)
	ka, kv := ks.sendData(packets)
	checkData(t, interpreter.track(clerk.id, "audio"), "audio", ka, packets, audioSize)
	checkData(t, interpreter.track(clerk.id, "video"), "video", kv, packets, videoSize)

	if err := r.Leave("room-guest", interpreter.id); err != nil {
		t.Fatal(err)
	}
	if err := r.Leave("room-guest", interpreter.id); !errors.Is(err, media.ErrUnknownParticipant) {
		t.Fatalf("second Leave: %v, want ErrUnknownParticipant", err)
	}
	rec.waitLen(t, 5)
	if err := r.CloseRoom("room-guest", media.ReasonCompleted); err != nil {
		t.Fatal(err)
	}
	got := rec.waitLen(t, 8)
	want := []string{
		"started room-guest",
		"joined room-guest " + string(citizen.id) + " citizen",
		"joined room-guest " + string(clerk.id) + " clerk",
		"joined room-guest " + string(interpreter.id) + " interpreter",
		"left room-guest " + string(interpreter.id) + " interpreter left",
	}
	for i, w := range want {
		if got[i] != w {
			t.Fatalf("event %d = %q, want %q (all: %q)", i, got[i], w, got)
		}
	}
	lefts := map[string]bool{got[5]: true, got[6]: true}
	for _, w := range []string{
		"left room-guest " + string(citizen.id) + " citizen room_closed",
		"left room-guest " + string(clerk.id) + " clerk room_closed",
	} {
		if !lefts[w] {
			t.Fatalf("missing %q in %q", w, got)
		}
	}
	if got[7] != "ended room-guest completed" || len(got) != 8 {
		t.Fatalf("last events %q, want one ended", got[7:])
	}
	if _, err := r.Join(t.Context(), media.JoinRequest{Room: "room-guest", Role: media.RoleCitizen, ClientAddr: loopback, OfferSDP: "v=0"}); !errors.Is(err, media.ErrRoomClosed) {
		t.Fatalf("join after close: %v, want ErrRoomClosed", err)
	}
}

func TestVanishedClientIsReportedLeft(t *testing.T) {
	rec := &recorder{}
	cfg := testConfig()
	cfg.ICEDisconnectedTimeout, cfg.ICEFailedTimeout, cfg.ICEKeepaliveInterval = time.Second, time.Second, 200*time.Millisecond
	r := newRelay(t, cfg, rec)
	citizen, clerk := call(t, r, "room-vanish")
	waitFor(t, "both connected", func() bool { return connected(citizen)() && connected(clerk)() })
	rec.waitLen(t, 3)

	citizen.conn.drop.Store(true) // no Leave, no DTLS close: the network just goes away
	got := rec.waitLen(t, 4)
	if want := "left room-vanish " + string(citizen.id) + " citizen connection_lost"; got[3] != want {
		t.Fatalf("event %q, want %q", got[3], want)
	}
	if s := r.Stats(); s.Participants != 1 {
		t.Fatalf("participants after vanish = %d, want 1", s.Participants)
	}
	// The citizen role is free again: a reconnecting citizen may join.
	again := newTestClient(t)
	if err := again.join(r, "room-vanish", media.RoleCitizen); err != nil {
		t.Fatalf("rejoin: %v", err)
	}
	got = rec.waitLen(t, 5)
	if want := "joined room-vanish " + string(again.id) + " citizen"; got[4] != want {
		t.Fatalf("event %q, want %q", got[4], want)
	}

	// A client that closes its peer connection without Leave is gone too.
	_ = clerk.pc.Close()
	got = rec.waitLen(t, 6)
	if want := "left room-vanish " + string(clerk.id) + " clerk connection_lost"; got[5] != want {
		t.Fatalf("event %q, want %q", got[5], want)
	}
}

func TestScreenShareThroughRenegotiate(t *testing.T) {
	r := newRelay(t, testConfig(), nil)
	citizen, clerk := call(t, r, "room-screen")
	cs := &sender{c: citizen}
	cs.warmUntil(t, hasMedia(clerk, citizen.id))

	screen, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "screen", "citizen-stream")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := citizen.pc.AddTransceiverFromTrack(screen, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		t.Fatal(err)
	}
	citizen.sigMu.Lock() // no relay offer is answered while our own is out
	offer, err := citizen.localDescription(func() (webrtc.SessionDescription, error) { return citizen.pc.CreateOffer(nil) })
	if err != nil {
		t.Fatal(err)
	}
	answer, err := r.Renegotiate(t.Context(), "room-screen", citizen.id, offer)
	if err != nil {
		t.Fatalf("Renegotiate: %v", err)
	}
	if err := citizen.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		t.Fatal(err)
	}
	citizen.sigMu.Unlock()
	waitFor(t, "screen share at the clerk", func() bool {
		_ = screen.WriteRTP(rtpPacket("screen"))
		rec := clerk.track(citizen.id, "screen")
		return rec != nil && len(rec.snapshot()) > 0
	})
	p := clerk.track(citizen.id, "screen").snapshot()[0]
	if !strings.HasPrefix(string(p.Payload), "screen") {
		t.Fatalf("screen payload %q", p.Payload)
	}
	if _, err := r.Renegotiate(t.Context(), "room-screen", "nobody", offer); !errors.Is(err, media.ErrUnknownParticipant) {
		t.Fatalf("Renegotiate unknown participant: %v", err)
	}
}

func TestLostVideoPacketsAreRecoveredByNACK(t *testing.T) {
	r := newRelay(t, testConfig(), nil)
	citizen, clerk := call(t, r, "room-nack")
	cs := &sender{c: citizen}
	cs.warmUntil(t, hasMedia(clerk, citizen.id))

	citizen.conn.loseOut.Store(2) // citizen → relay: the relay must NACK
	clerk.conn.loseIn.Store(2)    // relay → clerk: the relay must retransmit
	_, first := cs.sendData(packets)
	rec := clerk.track(citizen.id, "video")
	want := map[uint16]int{}
	for i := 0; i < packets; i++ {
		want[first+uint16(i)] = i
	}
	waitFor(t, "every video packet despite loss", func() bool {
		got := 0
		for _, p := range rec.snapshot() {
			if i, ok := want[p.SequenceNumber]; ok && bytes.Equal(p.Payload, payload("video", i, videoSize)) {
				got++
			}
		}
		if got < packets {
			cs.write([]byte("warm"), []byte("warm")) // NACKs need later packets to notice a gap
		}
		return got >= packets
	})
	if citizen.conn.loseOut.Load() > 0 || clerk.conn.loseIn.Load() > 0 {
		t.Fatalf("not every planned loss happened (out %d, in %d left)", citizen.conn.loseOut.Load(), clerk.conn.loseIn.Load())
	}
}

func TestH264IsForwardedWhereOffered(t *testing.T) {
	r := newRelay(t, testConfig(), nil)
	if err := r.OpenRoom("room-h264"); err != nil {
		t.Fatal(err)
	}
	citizen, clerk := newTestClient(t), newTestClient(t)
	citizen.publishVideo("citizen-stream", webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
		SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
	})
	clerk.publish("clerk-stream")
	if err := citizen.join(r, "room-h264", media.RoleCitizen); err != nil {
		t.Fatal(err)
	}
	if err := clerk.join(r, "room-h264", media.RoleClerk); err != nil {
		t.Fatal(err)
	}
	cs := &sender{c: citizen}
	cs.warmUntil(t, hasMedia(clerk, citizen.id))
	_, first := cs.sendData(50)
	rec := clerk.track(citizen.id, "video")
	if mime := rec.track.Codec().MimeType; mime != webrtc.MimeTypeH264 {
		t.Fatalf("clerk receives %s, want H.264", mime)
	}
	checkData(t, rec, "video", first, 50, videoSize)
}
