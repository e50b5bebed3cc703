package httpapi_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/domain"
)

type tick struct {
	N int `json:"n"`
}

type watchInput struct {
	VisitID string `path:"visitId" maxLength:"36"`
}

func registerWatch(api *httpapi.API) {
	httpapi.RegisterSSE(api, huma.Operation{OperationID: "watch-probe-visit", Path: "/probe/visits/{visitId}/events", Summary: "probe"},
		httpapi.Permission{Audience: httpapi.Citizen, Subject: httpapi.SubjectVisit, SubjectParam: "visitId"},
		map[string]any{"probe-tick": tick{}},
		func(ctx context.Context, in *watchInput, lastEventID string, s httpapi.Stream) error {
			if lastEventID == "missing" {
				return domain.NotFound("visit_not_found", "visit not found")
			}
			n, _ := strconv.Atoi(lastEventID)
			for i := n + 1; i <= n+3; i++ {
				if err := s.Send(httpapi.Event{ID: strconv.Itoa(i), Type: "probe-tick", Data: tick{N: i}}); err != nil {
					return err
				}
			}
			if err := s.Send(httpapi.Event{Type: "undeclared", Data: 1}); err == nil {
				panic("an undeclared event type was sent")
			}
			<-ctx.Done()
			return ctx.Err()
		})
}

func TestServerSentEvents(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Register: registerWatch, Config: httpapi.Config{Heartbeat: 20 * time.Millisecond}})
	path := "/api/v1/probe/visits/" + env.SubjectA.String() + "/events"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Server.URL+path+"?token="+env.CapabilityToken("visit", env.SubjectA), nil)
	req.Header.Set("Last-Event-ID", "5")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	r := bufio.NewReader(resp.Body)
	var lines []string
	for !strings.Contains(strings.Join(lines, "\n"), ": heartbeat") {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", lines, err)
		}
		lines = append(lines, strings.TrimRight(line, "\n"))
	}
	got := strings.Join(lines, "\n")
	want := "retry: 3000\n\nid: 6\nevent: probe-tick\ndata: {\"n\":6}\n\nid: 7\nevent: probe-tick\ndata: {\"n\":7}\n\nid: 8\nevent: probe-tick\ndata: {\"n\":8}\n\n: heartbeat"
	if got != want {
		t.Errorf("stream:\n%s\nwant:\n%s", got, want)
	}
	cancel()

	// Without a token, with another citizen's token, or for a missing
	// subject: problems, not streams.
	resp2, b := env.Do(t, httpapitest.Anonymous, "", "GET", path, nil, nil)
	if resp2.StatusCode != 401 || resp2.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("anonymous: %d %s", resp2.StatusCode, b)
	}
	resp3, _ := env.Do(t, httpapitest.CitizenB, "visit", "GET", path, nil, nil)
	if resp3.StatusCode != 403 {
		t.Errorf("citizen B: %d", resp3.StatusCode)
	}
	resp4, b := env.Do(t, httpapitest.CitizenA, "visit", "GET", path, nil, http.Header{"Last-Event-ID": {"missing"}})
	if p := decodeProblem(t, b); resp4.StatusCode != 404 || p.Code != "visit_not_found" {
		t.Errorf("missing subject: %d %s", resp4.StatusCode, b)
	}

	doc := env.API.Huma().OpenAPI().Paths["/api/v1/probe/visits/{visitId}/events"].Get
	if doc == nil || doc.Responses["200"].Content["text/event-stream"] == nil {
		t.Error("the SSE operation does not document text/event-stream")
	}
}

func TestStaffStreamEndsWithTheSession(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Config: httpapi.Config{Heartbeat: 20 * time.Millisecond}, Register: func(api *httpapi.API) {
		httpapi.RegisterSSE(api, huma.Operation{OperationID: "watch-probe-office", Path: "/probe/offices/{officeId}/events"},
			httpapi.Permission{Audience: httpapi.Clerk, OfficeParam: "officeId"},
			map[string]any{"probe-tick": tick{}},
			func(ctx context.Context, _ *struct {
				OfficeID string `path:"officeId" maxLength:"36"`
			}, _ string, s httpapi.Stream) error {
				if err := s.Send(httpapi.Event{ID: "1", Type: "probe-tick", Data: tick{N: 1}}); err != nil {
					return err
				}
				<-ctx.Done()
				return ctx.Err()
			})
	}})
	tok := strings.TrimPrefix(env.Credential(t, httpapitest.ClerkX, ""), "Bearer ")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Server.URL+"/api/v1/probe/offices/"+env.OfficeX.String()+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	heartbeats := 0
	for heartbeats < 2 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended while the session was alive: %v", err)
		}
		if strings.HasPrefix(line, ": heartbeat") {
			heartbeats++
		}
	}
	if err := env.Sessions.Revoke(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := r.ReadString('\n'); err != nil {
			if ctx.Err() != nil {
				t.Fatal("the stream outlived the session")
			}
			return // the server ended the stream
		}
	}
}
