package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// Handler serves everything the composition root mounts at "/": the API
// under BasePath, /openapi.json and /openapi.yaml, /docs, /healthz, and the
// page routes (RegisterPage) for the rest. Around all of it: a request ID,
// panic recovery into a 500 problem, security headers, an access log
// without personal data, and cross-origin protection of unsafe requests to
// operations and pages (cookies are SameSite=Lax, and browsers'
// Sec-Fetch-Site/Origin are checked on top).
func (a *API) Handler() http.Handler {
	outer := http.NewServeMux()
	outer.HandleFunc("GET /healthz", a.healthz)
	outer.HandleFunc("GET /docs", a.docs)
	for _, p := range []string{"/openapi.json", "/openapi.yaml", "/openapi-3.0.json", "/openapi-3.0.yaml"} {
		outer.Handle("GET "+p, a.mux)
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range a.cfg.TrustedOrigins {
		_ = cop.AddTrustedOrigin(o) // validated by New
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := NewProblem(http.StatusForbidden, CodeForbidden, "cross-origin request refused")
		if strings.HasPrefix(r.URL.Path, BasePath+"/") {
			writeProblemHTTP(w, r, p)
			return
		}
		a.renderPage(w, r, p)
	}))
	outer.Handle(BasePath+"/", cop.Handler(http.HandlerFunc(a.serveAPI)))
	var pages http.Handler = a.pageMux
	if len(a.pageRoutes) == 0 {
		pages = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeProblemHTTP(w, r, NewProblem(http.StatusNotFound, CodeNotFound, "not found"))
		})
	}
	outer.Handle("/", cop.Handler(pages))
	return a.middleware(outer)
}

// serveAPI answers unknown API paths and wrong methods with problems
// instead of the mux's plain text.
func (a *API) serveAPI(w http.ResponseWriter, r *http.Request) {
	h, pattern := a.mux.Handler(r)
	if pattern != "" {
		a.mux.ServeHTTP(w, r) // sets the path values Handler does not
		return
	}
	rec := &headerOnly{header: http.Header{}}
	h.ServeHTTP(rec, r)
	status := rec.status
	if status != http.StatusMethodNotAllowed {
		status = http.StatusNotFound
	}
	if allow := rec.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	writeProblemHTTP(w, r, NewProblem(status, defaultCode(status), strings.ToLower(http.StatusText(status))))
}

type headerOnly struct {
	header http.Header
	status int
}

func (h *headerOnly) Header() http.Header         { return h.header }
func (h *headerOnly) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerOnly) WriteHeader(s int)           { h.status = s }

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if a.deps.Ready == nil || a.deps.Ready(ctx) != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// middleware is the outermost layer of every request.
func (a *API) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sc := &requestScope{
			requestID: uuid.New(), clientAddr: clientAddr(r, a.cfg.TrustedProxies),
			tls: r.TLS != nil, log: a.cfg.Logger,
		}
		r = r.WithContext(context.WithValue(r.Context(), scopeKey{}, sc))
		h := w.Header()
		rid := sc.requestID.String() // the header and the access log share it
		h.Set("X-Request-ID", rid)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if strings.HasPrefix(r.URL.Path, BasePath+"/") {
			h.Set("Cache-Control", "no-store")
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The panic value may hold request data: log its type and
				// the stack only.
				a.cfg.Logger.Error("panic recovered", "request_id", sc.requestID, "route", sc.route,
					"panic_type", fmt.Sprintf("%T", v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeProblemHTTP(sw, r, NewProblem(http.StatusInternalServerError, CodeInternal, ""))
				}
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			// Typed attributes: the same record as Info with key-value
			// pairs, without boxing each value.
			a.cfg.Logger.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", rid),
				slog.String("method", r.Method), slog.String("route", sc.route),
				slog.Int("status", status), slog.Int64("duration_ms", time.Since(start).Milliseconds()))
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status; Unwrap lets http.ResponseController
// flush and set deadlines through it (SSE).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush implements http.Flusher.
func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// writeProblem writes p through a Huma context (middlewares).
func writeProblem(ctx huma.Context, p *Problem) {
	if sc := scopeOf(ctx.Context()); sc != nil {
		p.Instance = "urn:uuid:" + sc.requestID.String()
	}
	for k, vs := range p.headers {
		for _, v := range vs {
			ctx.AppendHeader(k, v)
		}
	}
	ctx.SetHeader("Content-Type", "application/problem+json")
	ctx.SetStatus(p.Status)
	_ = json.NewEncoder(ctx.BodyWriter()).Encode(p)
}

// writeProblemHTTP writes p on plain net/http.
func writeProblemHTTP(w http.ResponseWriter, r *http.Request, p *Problem) {
	if sc := scopeOf(r.Context()); sc != nil {
		p.Instance = "urn:uuid:" + sc.requestID.String()
	}
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func parseUUID(s string) (uuid.UUID, error) { return uuid.Parse(s) }
