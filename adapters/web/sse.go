package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
)

// sseStream writes server-sent events. Each event carries the version of the
// state it shows as its id, so a reconnecting EventSource (Last-Event-ID
// header, or ?lastEventId= when live.js reconnects by itself) is not sent a
// state it already has.
type sseStream struct {
	w    http.ResponseWriter
	rc   *http.ResponseController
	last uint64
}

func startSSE(w http.ResponseWriter, r *http.Request) *sseStream {
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	s := &sseStream{w: w, rc: http.NewResponseController(w)}
	id := r.Header.Get("Last-Event-ID")
	if id == "" {
		id = r.URL.Query().Get("lastEventId")
	}
	s.last, _ = strconv.ParseUint(id, 10, 64)
	// No write deadline for a long-lived stream.
	_ = s.rc.SetWriteDeadline(time.Time{})
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	_ = s.rc.Flush()
	return s
}

// send writes one event unless the client already has this version.
func (s *sseStream) send(event string, version uint64, data any) error {
	if version != 0 && version <= s.last {
		return nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if version != 0 {
		s.last = version
		fmt.Fprintf(s.w, "id: %d\n", version)
	}
	fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, b)
	return s.rc.Flush()
}

func (s *sseStream) heartbeat() error {
	fmt.Fprint(s.w, ": keep-alive\n\n")
	return s.rc.Flush()
}

// pump forwards updates to the stream with a heartbeat comment every
// interval, until the client leaves, the feed closes, send reports false or,
// at a heartbeat, the API's pipeline no longer admits the request (a staff
// member signed out, was disabled or left the office).
func pump[T any](ctx context.Context, s *sseStream, every time.Duration, updates <-chan T, send func(T) bool) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if !httpapi.StillAllowed(ctx) || s.heartbeat() != nil {
				return
			}
		case u, ok := <-updates:
			if !ok || !send(u) {
				return
			}
		}
	}
}
