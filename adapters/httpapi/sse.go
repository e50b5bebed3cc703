package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Event is one server-sent event.
type Event struct {
	// ID is sent as "id:"; a reconnecting EventSource sends it back as
	// Last-Event-ID. Must not contain line breaks; at most 128 bytes.
	ID string
	// Type is the "event:" name and must be one the route declared.
	Type string
	// Data is sent JSON-encoded as "data:".
	Data any
}

// Stream sends events to one client. Send is safe to call from one
// goroutine at a time; heartbeats are interleaved by the stream itself.
type Stream interface {
	Send(Event) error
}

// StreamHandler runs a watch route: it sends the events after lastEventID
// (empty: from the current state), then live ones, until ctx ends. An error
// before the first event becomes a problem response; after it, the stream
// just ends.
type StreamHandler[I any] func(ctx context.Context, in *I, lastEventID string, stream Stream) error

// RegisterSSE adds a text/event-stream GET operation. events maps each
// event type to a zero value of its data, for the OpenAPI document. The
// stream sends a comment line every Config.Heartbeat (default 15 s) so
// proxies keep it open, "retry: 3000" so clients reconnect quickly, and
// passes the Last-Event-ID header to the handler for resumption. Streams of
// staff sessions end at the first heartbeat after the session ends or the
// permission no longer holds. The token
// may come as the "token" query parameter (EventSource cannot send headers).
func RegisterSSE[I any](a *API, op huma.Operation, perm Permission, events map[string]any, h StreamHandler[I], opts ...RouteOption) {
	if op.Method == "" {
		op.Method = http.MethodGet
	}
	if op.Method != http.MethodGet || len(events) == 0 {
		panic(fmt.Sprintf("httpapi: SSE operation %s must be a GET with at least one event type", op.OperationID))
	}
	op.Responses = map[string]*huma.Response{"200": {
		Description: "A text/event-stream of the listed event types",
		Content:     map[string]*huma.MediaType{"text/event-stream": {Schema: eventsSchema(a, events)}},
	}}
	op.Parameters = append(op.Parameters, &huma.Param{
		Name: "Last-Event-ID", In: "header", Description: "ID of the last event received; the stream resumes after it.",
		Schema: &huma.Schema{Type: "string", MaxLength: ptr(128)},
	})
	Register(a, op, perm, func(ctx context.Context, in *I) (*huma.StreamResponse, error) {
		return &huma.StreamResponse{Body: func(hctx huma.Context) { runStream(a, hctx, in, h, events) }}, nil
	}, append(opts, withQueryToken())...)
}

func eventsSchema[T any](a *API, events map[string]T) *huma.Schema {
	reg := a.huma.OpenAPI().Components.Schemas
	names := make([]string, 0, len(events))
	for n := range events {
		names = append(names, n)
	}
	sort.Strings(names)
	var one []*huma.Schema
	for _, n := range names {
		t := reflect.TypeOf(events[n])
		one = append(one, &huma.Schema{
			Type: "object", Title: n, Required: []string{"event", "data"},
			Properties: map[string]*huma.Schema{
				"id":    {Type: "string", MaxLength: ptr(128)},
				"event": {Type: "string", Enum: []any{n}, MaxLength: ptr(64)},
				"data":  reg.Schema(t, true, n),
			},
		})
	}
	return &huma.Schema{OneOf: one}
}

func runStream[I any](a *API, hctx huma.Context, in *I, h StreamHandler[I], events map[string]any) {
	lastID := hctx.Header("Last-Event-ID")
	if len(lastID) > 128 || strings.ContainsAny(lastID, "\r\n\x00") {
		writeProblem(hctx, NewProblem(http.StatusBadRequest, CodeBadRequest, "Last-Event-ID is malformed"))
		return
	}
	_, w := humago.Unwrap(hctx)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // streams outlive the server's write timeout
	ctx, cancel := context.WithCancel(hctx.Context())
	defer cancel()
	s := &sseStream{hctx: hctx, w: hctx.BodyWriter(), rc: rc, cancel: cancel, types: events}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(a.cfg.Heartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if !StillAllowed(ctx) {
					cancel() // signed out, disabled or moved to another office
					return
				}
				s.write(": heartbeat\n\n")
			}
		}
	}()
	err := h(ctx, in, lastID, s)
	close(done)
	wg.Wait()
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		writeProblem(hctx, a.fail(hctx.Context(), err).(*Problem))
		return
	}
	if p := ProblemFor(err); p.Status >= 500 {
		if sc := scopeOf(hctx.Context()); sc != nil {
			sc.logInternal(err)
		}
	}
}

type sseStream struct {
	hctx    huma.Context
	w       io.Writer
	rc      *http.ResponseController
	cancel  context.CancelFunc
	types   map[string]any
	mu      sync.Mutex
	started bool
	failed  bool
}

func (s *sseStream) startLocked() {
	if s.started {
		return
	}
	s.started = true
	s.hctx.SetHeader("Content-Type", "text/event-stream")
	s.hctx.SetHeader("Cache-Control", "no-store")
	s.hctx.SetHeader("X-Accel-Buffering", "no") // nginx: do not buffer
	s.hctx.SetStatus(http.StatusOK)
	_, _ = io.WriteString(s.w, "retry: 3000\n\n")
}

// write sends raw text and flushes; a failed write ends the stream.
func (s *sseStream) write(text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed {
		return errStreamClosed
	}
	s.startLocked()
	_, err := io.WriteString(s.w, text)
	if err == nil {
		err = s.rc.Flush()
	}
	if err != nil {
		s.failed = true
		s.cancel()
		return errStreamClosed
	}
	return nil
}

var errStreamClosed = errors.New("httpapi: event stream closed")

// Send implements Stream.
func (s *sseStream) Send(e Event) error {
	if _, ok := s.types[e.Type]; !ok {
		return fmt.Errorf("httpapi: event type %q is not declared by the route", e.Type)
	}
	if len(e.ID) > 128 || strings.ContainsAny(e.ID+e.Type, "\r\n\x00") {
		return fmt.Errorf("httpapi: malformed event (type %q)", e.Type)
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		return fmt.Errorf("httpapi: encode %s: %w", e.Type, err)
	}
	var b strings.Builder
	if e.ID != "" {
		b.WriteString("id: " + e.ID + "\n")
	}
	b.WriteString("event: " + e.Type + "\ndata: ")
	b.Write(data)
	b.WriteString("\n\n")
	return s.write(b.String())
}
