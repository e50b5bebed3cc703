package integration_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sse is an open event stream.
type sse struct {
	cancel context.CancelFunc
	r      *bufio.Reader
	events chan frame
}

type frame struct {
	id, typ string
	data    json.RawMessage
}

func (s *system) watch(tb testing.TB, token, path, lastID string) *sse {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.server.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := s.server.Client().Do(req)
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		tb.Fatalf("watch %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	w := &sse{cancel: func() { cancel(); resp.Body.Close() }, r: bufio.NewReader(resp.Body), events: make(chan frame, 100)}
	go func() {
		defer close(w.events)
		var f frame
		for {
			line, err := w.r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "id: "):
				f.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				f.typ = line[7:]
			case strings.HasPrefix(line, "data: "):
				f.data = json.RawMessage(line[6:])
			case line == "" && f.typ != "":
				w.events <- f
				f = frame{}
			}
		}
	}()
	tb.Cleanup(w.cancel)
	return w
}

// next returns the next event whose data satisfies ok.
func (w *sse) next(tb testing.TB, ok func(json.RawMessage) bool) frame {
	tb.Helper()
	t := time.After(5 * time.Second)
	for {
		select {
		case f, open := <-w.events:
			if !open {
				tb.Fatal("stream ended")
			}
			if ok(f.data) {
				return f
			}
		case <-t:
			tb.Fatal("no matching event within 5 s")
		}
	}
}

type queueData struct {
	Waiting []struct {
		VisitID  string `json:"visitId"`
		Position int    `json:"position"`
		Present  bool   `json:"present"`
	} `json:"waiting"`
}

func (q queueData) find(id string) (int, bool, bool) {
	for _, w := range q.Waiting {
		if w.VisitID == id {
			return w.Position, w.Present, true
		}
	}
	return 0, false, false
}

// A clerk's queue stream shows a knock, the citizen's stream is their
// presence, and a resumed stream sends nothing until the state changes.
func TestLiveQueueAndVisitPresence(t *testing.T) {
	s := start(t)
	clerk := s.clerk(t, "clerk-live")
	if st := s.call(t, clerk, http.MethodPost, "/offices/"+s.office.String()+"/duty/on", nil, nil); st != http.StatusNoContent {
		t.Fatalf("go on duty: %d", st)
	}
	q := s.watch(t, clerk, "/offices/"+s.office.String()+"/queue/events", "")
	k := s.knock(t)
	hasVisit := func(present bool) func(json.RawMessage) bool {
		return func(b json.RawMessage) bool {
			var d queueData
			_ = json.Unmarshal(b, &d)
			_, p, ok := d.find(k.VisitID)
			return ok && p == present
		}
	}
	q.next(t, hasVisit(true))

	v := s.watch(t, k.Token, "/visits/"+k.VisitID+"/events", "")
	f := v.next(t, func(b json.RawMessage) bool {
		var d struct {
			Status   string `json:"status"`
			Position int    `json:"position"`
		}
		_ = json.Unmarshal(b, &d)
		return d.Status == "waiting" && d.Position == 1
	})
	// Resuming with the last ID: nothing is resent while nothing changed.
	v.cancel()
	q.next(t, hasVisit(false)) // the page closed: presence lost
	t1 := time.Now()
	v2 := s.watch(t, k.Token, "/visits/"+k.VisitID+"/events", f.id)
	if d := time.Since(t1); d > 2*time.Second { // the heartbeat is 15 s
		t.Fatalf("a resumed stream with nothing new answered after %v, want at once", d)
	}
	q.next(t, hasVisit(true)) // the page is back: presence regained
	var admitted struct {
		CaseReference string `json:"caseReference"`
	}
	if st := s.call(t, clerk, http.MethodPost, "/offices/"+s.office.String()+"/visits/"+k.VisitID+"/admit", nil, &admitted); st != http.StatusOK {
		t.Fatalf("admit: %d", st)
	}
	first := v2.next(t, func(json.RawMessage) bool { return true })
	if first.id == f.id {
		t.Fatalf("resumed stream resent the state it had: %s", first.data)
	}
	admittedState := func(b json.RawMessage) bool {
		var d struct {
			Status    string `json:"status"`
			Admission *struct {
				CallID        string `json:"callId"`
				CaseReference string `json:"caseReference"`
				CaseToken     string `json:"caseToken"`
				JoinPath      string `json:"joinPath"`
			} `json:"admission"`
		}
		_ = json.Unmarshal(b, &d)
		return d.Status == "admitted" && d.Admission != nil && d.Admission.CallID != "" && d.Admission.CaseReference == admitted.CaseReference && len(d.Admission.CaseToken) >= 22 &&
			d.Admission.JoinPath == "/api/v1/visits/"+k.VisitID+"/call/token"
	}
	// The first event of the resumed stream is the admission: the state
	// it already had was not sent again.
	if !admittedState(first.data) {
		t.Fatalf("first event after resuming: %s, want the admission", first.data)
	}
}
