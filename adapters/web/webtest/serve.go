package webtest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/web"
)

// Options adjust Serve. Zero values take the fake's clock and ports.
type Options struct {
	// API configures the pipeline (rate limits, cookies, trusted origins);
	// its Now defaults to the fake's clock, its rate limits to generous ones
	// (tests that count set their own).
	API httpapi.Config
	// Web configures the pages; Ports and Now default to the fake's.
	Web web.Config
	// Sessions configures the staff sessions; Now defaults to API.Now.
	Sessions httpapi.SessionConfig
}

// Server is the fake's pages behind the API's pipeline on an httptest
// server, as the composition root serves them.
type Server struct {
	*httptest.Server
	API      *httpapi.API
	Pages    *web.Handler
	Sessions *httpapi.MemorySessions
}

// Serve starts the pages of f; the server is closed when t ends.
func Serve(t testing.TB, f *Fake, o Options) *Server {
	t.Helper()
	if o.Web.Ports == (web.Ports{}) {
		o.Web.Ports = f.Ports()
	}
	if o.Web.Now == nil {
		o.Web.Now = f.Now
	}
	if o.API.Now == nil {
		o.API.Now = o.Web.Now
	}
	if o.API.Logger == nil {
		o.API.Logger = slog.New(slog.DiscardHandler)
	}
	if o.API.RateLimits == nil {
		o.API.RateLimits = map[httpapi.RateClass]httpapi.RateLimit{}
		for c := range httpapi.DefaultRateLimits {
			o.API.RateLimits[c] = httpapi.RateLimit{Every: time.Millisecond, Burst: 1_000_000}
		}
	}
	if o.Sessions.Now == nil {
		o.Sessions.Now = o.API.Now
	}
	pages, err := web.New(o.Web)
	if err != nil {
		t.Fatal(err)
	}
	sessions := httpapi.NewMemorySessions(o.Sessions)
	api, err := httpapi.New(o.API, httpapi.Deps{
		Staff: f.StaffService(), Sessions: sessions, Capabilities: noCapabilities{},
		Ready: func(context.Context) error { return nil }, Pages: pages,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &Server{Server: srv, API: api, Pages: pages, Sessions: sessions}
}

// noCapabilities grants no API subject: the fake's citizens hold passes
// in cookies, which its ports check.
type noCapabilities struct{}

func (noCapabilities) Grants(string, httpapi.Subject) bool { return false }
