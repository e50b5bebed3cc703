package integration_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// get-queue answers from a body encoded once per read-model snapshot for
// canonically named offices; the bytes and content type are those of the
// normal route (taken by an upper-case office ID), the permission is still
// checked first, and a knock shows at once.
func TestGetQueueCachedBodyIsTheRoutesBody(t *testing.T) {
	s := start(t)
	clerk := s.clerk(t, "clerk-cache")
	s.call(t, clerk, http.MethodPost, "/offices/"+s.office.String()+"/duty/on", nil, nil)
	for range 3 {
		s.knock(t)
	}
	get := func(office, token string) (int, string, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.server.URL+"/api/v1/offices/"+office+"/queue", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := s.server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), b
	}
	canonical, upper := s.office.String(), strings.ToUpper(s.office.String())
	// The read side applies knocks shortly after they are written: compare
	// the two paths only once it holds all three, or they read two states.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var q queueData
		_, _, b := get(upper, clerk)
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		if len(q.Waiting) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the queue shows %d of 3 knocks", len(q.Waiting))
		}
	}
	for range 2 { // the second answer comes from the cache
		st, ct, fast := get(canonical, clerk)
		st2, ct2, slow := get(upper, clerk)
		if st != http.StatusOK || st2 != http.StatusOK {
			t.Fatalf("status %d (cached) and %d (route)", st, st2)
		}
		if ct != ct2 || !bytes.Equal(fast, slow) {
			t.Fatalf("cached answer %q %s differs from the route's %q %s", ct, fast, ct2, slow)
		}
	}
	if st, _, _ := get(canonical, ""); st != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", st)
	}
	k := s.knock(t) // the read side applies it shortly after
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		_, _, b := get(canonical, clerk)
		var q queueData
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		if _, _, ok := q.find(k.VisitID); ok && len(q.Waiting) == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a knock the queue still has %d visits without the new one", len(q.Waiting))
		}
	}
}
