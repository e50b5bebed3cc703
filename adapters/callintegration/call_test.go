package callintegration_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

const packets = 100

type admitted struct {
	VisitID string `json:"visitId"`
	CaseID  string `json:"caseId"`
	CallID  string `json:"callId"`
}

// refused asserts a 401 problem that carries no SDP answer.
func refused(t *testing.T, what string, resp *http.Response, b []byte) {
	t.Helper()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%s: %d %q %s, want a 401 problem", what, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	if strings.Contains(string(b), "v=0") || resp.Header.Get("Location") != "" {
		t.Fatalf("%s: the refusal carries an answer: %s", what, b)
	}
}

type participant struct {
	role domain.Role
	id   string
}

// callSteps returns the call events of a case stream in order, as
// "<type> <role> <participant>".
func callSteps(evs []eventlog.RecordedEvent) []string {
	var out []string
	for _, e := range evs {
		switch ev := e.Event.(type) {
		case casefile.CallStarted:
			out = append(out, "started")
		case casefile.CallParticipantJoined:
			out = append(out, "joined "+ev.Role.String()+" "+ev.ParticipantID)
		case casefile.CallParticipantLeft:
			out = append(out, "left "+ev.Role.String()+" "+ev.ParticipantID)
		case casefile.CallEnded:
			out = append(out, "ended "+ev.Reason.String())
		}
	}
	return out
}

func TestCitizenAndClerkCallThroughTheAPIAndTheCaseRecordsIt(t *testing.T) {
	s := start(t)
	clerkSession := s.clerk(t, "clerk-anna")
	office := "/offices/" + s.office.String()
	if st, b := s.call(t, clerkSession, http.MethodPost, office+"/duty/on", nil, nil); st != http.StatusNoContent {
		t.Fatalf("go on duty: %d %s", st, b)
	}
	var k struct {
		VisitID string `json:"visitId"`
		Token   string `json:"token"`
	}
	if st, b := s.call(t, "", http.MethodPost, office+"/visits", map[string]any{"serviceId": s.service.String(), "displayName": "Ada"}, &k); st != http.StatusCreated {
		t.Fatalf("knock: %d %s", st, b)
	}
	callBase := "/visits/" + k.VisitID + "/call"
	if st, _ := s.call(t, k.Token, http.MethodPost, callBase+"/token", nil, nil); st != http.StatusConflict {
		t.Fatalf("token before admission: %d, want 409", st)
	}
	var adm admitted
	if st, b := s.call(t, clerkSession, http.MethodPost, office+"/visits/"+k.VisitID+"/admit", nil, &adm); st != http.StatusOK {
		t.Fatalf("admit: %d %s", st, b)
	}
	caseStream := casefile.StreamName(domain.IDFrom[domain.CaseID](mustUUID(t, adm.CaseID)))

	// Forged and expired tokens: 401, no answer, nothing joins.
	whipURL := "/api/v1" + callBase + "/participants"
	probe := newClient(t)
	offer := probe.offer()
	resp, b := s.whip(t, http.MethodPost, whipURL, "bbj_"+strings.Repeat("Q", 43), offer)
	refused(t, "forged token", resp, b)
	resp, b = s.whip(t, http.MethodPost, whipURL, "", offer)
	refused(t, "no token", resp, b)
	stale := s.callToken(t, k.Token, callBase+"/token", nil)
	s.advance(2*time.Minute + time.Nanosecond)
	resp, b = s.whip(t, http.MethodPost, stale.WHIPURL, stale.Token, offer)
	refused(t, "expired token", resp, b)
	if st := s.relay.Stats(); st.Participants != 0 {
		t.Fatalf("relay has %d participants after refused offers", st.Participants)
	}

	// Both get join tokens through the API and join with Pion clients.
	citizenTok := s.callToken(t, k.Token, callBase+"/token", nil)
	clerkTok := s.callToken(t, clerkSession, callBase+"/token", nil)
	if citizenTok.Role != "citizen" || clerkTok.Role != "clerk" {
		t.Fatalf("roles %s and %s", citizenTok.Role, clerkTok.Role)
	}
	citizen, clerk := newClient(t), newClient(t)
	citizen.join(s, citizenTok)
	clerk.join(s, clerkTok)
	resp, b = s.whip(t, http.MethodPost, citizenTok.WHIPURL, citizenTok.Token, offer)
	refused(t, "replayed token", resp, b)

	// Media both ways: each receives the other's packets in order.
	waitFor(t, "media both ways", func() bool {
		citizen.write([]byte("warm"), []byte("warm"))
		clerk.write([]byte("warm"), []byte("warm"))
		return citizen.hasMedia(clerk.id) && clerk.hasMedia(citizen.id)
	})
	done := make(chan [2]uint16)
	go func() { a, v := clerk.sendData(packets); done <- [2]uint16{a, v} }()
	ca, cv := citizen.sendData(packets)
	kk := <-done
	checkData(t, clerk.track(citizen.id, "audio"), "audio", ca, packets, audioSize)
	checkData(t, clerk.track(citizen.id, "video"), "video", cv, packets, videoSize)
	checkData(t, citizen.track(clerk.id, "audio"), "audio", kk[0], packets, audioSize)
	checkData(t, citizen.track(clerk.id, "video"), "video", kk[1], packets, videoSize)

	joinedCitizen := "joined citizen citizen:" + citizen.id
	joinedClerk := "joined clerk clerk:" + clerk.id
	waitFor(t, "the call on the case", func() bool {
		steps := callSteps(s.caseEvents(t, caseStream))
		return slices.Contains(steps, joinedCitizen) && slices.Contains(steps, joinedClerk)
	})

	// The clerk invites an interpreter, who joins, hears both, and leaves.
	interpreterTok := s.callToken(t, clerkSession, callBase+"/guests", map[string]string{"role": "interpreter"})
	interpreter := newClient(t)
	interpreter.join(s, interpreterTok)
	waitFor(t, "the interpreter receives both", func() bool {
		citizen.write([]byte("warm"), []byte("warm"))
		clerk.write([]byte("warm"), []byte("warm"))
		return interpreter.hasMedia(citizen.id) && interpreter.hasMedia(clerk.id)
	})
	interpreter.leave(s)

	// A colleague joins and vanishes: left after the ICE timeout.
	colleagueTok := s.callToken(t, clerkSession, callBase+"/guests", map[string]string{"role": "colleague"})
	colleague := newClient(t)
	colleague.join(s, colleagueTok)
	waitFor(t, "the colleague receives the citizen", func() bool {
		citizen.write([]byte("warm"), []byte("warm"))
		return colleague.hasMedia(citizen.id)
	})
	colleague.vanish()
	leftColleague := "left clerk colleague:" + colleague.id
	waitFor(t, "the vanished colleague recorded as left", func() bool {
		return slices.Contains(callSteps(s.caseEvents(t, caseStream)), leftColleague)
	})

	// Citizen and clerk leave: the visit ends and so does the call.
	s.advance(3 * time.Minute)
	citizen.leave(s)
	clerk.leave(s)
	waitFor(t, "the call's end on the case", func() bool {
		return slices.Contains(callSteps(s.caseEvents(t, caseStream)), "ended citizen_left")
	})

	evs := s.caseEvents(t, caseStream)
	want := []string{
		"started", joinedCitizen, joinedClerk,
		"joined citizen interpreter:" + interpreter.id, "left citizen interpreter:" + interpreter.id,
		"joined clerk colleague:" + colleague.id, leftColleague,
		"left citizen citizen:" + citizen.id, "left clerk clerk:" + clerk.id,
		"ended citizen_left",
	}
	if got := callSteps(evs); !slices.Equal(got, want) {
		t.Fatalf("case call steps\n got %q\nwant %q", got, want)
	}
	for _, e := range evs {
		if end, ok := e.Event.(casefile.CallEnded); ok && (end.DurationSeconds < 180 || end.CallID.String() != adm.CallID) {
			t.Fatalf("call ended %+v, want the admission's call, at least 180 s", end)
		}
		if strings.Contains(string(e.Data), "Ada") {
			t.Fatalf("the citizen's name in %s", e.Type)
		}
	}
	visitEvents := s.caseEvents(t, visit.StreamName(domain.IDFrom[domain.VisitID](mustUUID(t, k.VisitID))))
	if got := types(visitEvents); !slices.Contains(got, "VisitCallStarted") || got[len(got)-1] != "VisitEnded" {
		t.Fatalf("visit events %q", got)
	}

	// The call is over: no more tokens, and the relay has closed the room.
	if st, _ := s.call(t, k.Token, http.MethodPost, callBase+"/token", nil, nil); st != http.StatusConflict {
		t.Fatalf("token after the visit ended: %d, want 409", st)
	}
	waitFor(t, "the room closed", func() bool { return s.relay.Stats().Rooms == 0 })
}

func types(evs []eventlog.RecordedEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}
