package callintegration_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/pion/webrtc/v4"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// callInProgress is an admitted visit whose citizen and clerk are in the
// call.
type callInProgress struct {
	office, visitID, visitToken, clerkSession, caseStream string
	citizen, clerk                                        *client
}

func inCall(t *testing.T, s *system) callInProgress {
	t.Helper()
	c := callInProgress{office: "/offices/" + s.office.String(), clerkSession: s.clerk(t, "clerk-ben")}
	if st, b := s.call(t, c.clerkSession, http.MethodPost, c.office+"/duty/on", nil, nil); st != http.StatusNoContent {
		t.Fatalf("go on duty: %d %s", st, b)
	}
	var k struct {
		VisitID string `json:"visitId"`
		Token   string `json:"token"`
	}
	if st, b := s.call(t, "", http.MethodPost, c.office+"/visits", map[string]any{"serviceId": s.service.String(), "displayName": "Bea"}, &k); st != http.StatusCreated {
		t.Fatalf("knock: %d %s", st, b)
	}
	c.visitID, c.visitToken = k.VisitID, k.Token
	var adm admitted
	if st, b := s.call(t, c.clerkSession, http.MethodPost, c.office+"/visits/"+k.VisitID+"/admit", nil, &adm); st != http.StatusOK {
		t.Fatalf("admit: %d %s", st, b)
	}
	c.caseStream = casefile.StreamName(domain.IDFrom[domain.CaseID](mustUUID(t, adm.CaseID)))
	c.citizen, c.clerk = newClient(t), newClient(t)
	c.citizen.join(s, s.callToken(t, k.Token, "/visits/"+k.VisitID+"/call/token", nil))
	c.clerk.join(s, s.callToken(t, c.clerkSession, "/visits/"+k.VisitID+"/call/token", nil))
	waitFor(t, "media both ways", func() bool {
		c.citizen.write([]byte("warm"), []byte("warm"))
		c.clerk.write([]byte("warm"), []byte("warm"))
		return c.citizen.hasMedia(c.clerk.id) && c.clerk.hasMedia(c.citizen.id)
	})
	// The relay reports joins to the calls service, which records them a
	// few milliseconds later; wait, as a clerk takes longer than that.
	waitFor(t, "both joins on the case", func() bool {
		steps := callSteps(s.caseEvents(t, c.caseStream))
		return slices.Contains(steps, "joined citizen citizen:"+c.citizen.id) && slices.Contains(steps, "joined clerk clerk:"+c.clerk.id)
	})
	return c
}

// The clerk ends the visit through the API: the read side closes the room,
// the clients are disconnected, and the case records everyone leaving and
// the call's end once.
func TestEndingTheVisitClosesTheCall(t *testing.T) {
	s := start(t)
	c := inCall(t, s)
	if st, b := s.call(t, c.clerkSession, http.MethodPost, c.office+"/visits/"+c.visitID+"/end", map[string]any{"reason": "completed"}, nil); st != http.StatusNoContent {
		t.Fatalf("end visit: %d %s", st, b)
	}
	waitFor(t, "the room closed", func() bool { return s.relay.Stats().Rooms == 0 })
	waitFor(t, "the clients disconnected", func() bool {
		for _, cl := range []*client{c.citizen, c.clerk} {
			if st := cl.pc.ConnectionState(); st == webrtc.PeerConnectionStateConnected || st == webrtc.PeerConnectionStateConnecting {
				return false
			}
		}
		return true
	})
	var steps []string
	waitFor(t, "the call's end on the case", func() bool {
		steps = callSteps(s.caseEvents(t, c.caseStream))
		return slices.Contains(steps, "ended completed")
	})
	want := []string{
		"started", "joined citizen citizen:" + c.citizen.id, "joined clerk clerk:" + c.clerk.id,
		"left citizen citizen:" + c.citizen.id, "left clerk clerk:" + c.clerk.id, "ended completed",
	}
	if len(steps) != len(want) {
		t.Fatalf("case call steps\n got %q\nwant %q", steps, want)
	}
	slices.Sort(steps[3:5]) // the two leaves may come in either order
	if !slices.Equal(steps, want) {
		t.Fatalf("case call steps\n got %q\nwant %q", steps, want)
	}
	// The spent tokens no longer reach anything.
	resp, b := s.whip(t, http.MethodDelete, c.citizen.resource, c.citizen.token, "")
	refused(t, "leave after the end", resp, b)
}

// Screen sharing: the citizen adds a track and sends a new offer to its
// resource (PATCH); the clerk receives the new track.
func TestScreenShareRenegotiatesThroughTheResource(t *testing.T) {
	s := start(t)
	c := inCall(t, s)
	screen, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "screen", "local")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.citizen.pc.AddTransceiverFromTrack(screen, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		t.Fatal(err)
	}
	var answer string
	waitFor(t, "the renegotiation answered", func() bool {
		c.citizen.sigMu.Lock() // no relay offer applied meanwhile
		defer c.citizen.sigMu.Unlock()
		if c.citizen.pc.SignalingState() != webrtc.SignalingStateStable {
			return false
		}
		resp, b := s.whip(t, http.MethodPatch, c.citizen.resource, c.citizen.token, c.citizen.offer())
		switch resp.StatusCode {
		case http.StatusOK:
			answer = string(b)
			return c.citizen.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}) == nil
		case http.StatusConflict: // the relay's own offer is pending: roll back, answer it, retry
			_ = c.citizen.pc.SetLocalDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeRollback})
			return false
		}
		t.Fatalf("renegotiate: %d %s", resp.StatusCode, b)
		return false
	})
	waitFor(t, "the clerk receives the screen", func() bool {
		_ = screen.WriteRTP(rtpPacket())
		rec := c.clerk.track(c.citizen.id, "screen")
		return rec != nil && len(rec.snapshot()) > 0
	})
	// Another participant's token does not renegotiate the citizen.
	resp, b := s.whip(t, http.MethodPatch, c.citizen.resource, c.clerk.token, "v=0")
	refused(t, "renegotiate with another's token", resp, b)
}
