package httpapi

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// IdempotencyHeader is the request header of an idempotency key
// (draft-ietf-httpapi-idempotency-key-header).
const IdempotencyHeader = "Idempotency-Key"

// IdempotencyConfig bounds the stored first responses.
type IdempotencyConfig struct {
	TTL      time.Duration // how long a key is remembered; default 1 h
	MaxKeys  int           // most keys remembered; default 10 000
	MaxBytes int           // largest response body stored; default 64 KiB
}

func (c IdempotencyConfig) withDefaults() IdempotencyConfig {
	if c.TTL <= 0 {
		c.TTL = time.Hour
	}
	if c.MaxKeys <= 0 {
		c.MaxKeys = 10_000
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 64 << 10
	}
	return c
}

// idempotency remembers, per principal and key, the request's fingerprint
// and the first response, in memory, oldest first out.
type idempotency struct {
	cfg     IdempotencyConfig
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]*idemEntry
	order   *list.List // of *idemEntry, oldest first
}

type idemEntry struct {
	key     string
	print   [32]byte
	done    bool
	status  int
	header  http.Header
	body    []byte
	expires time.Time
	elem    *list.Element
}

func newIdempotency(cfg IdempotencyConfig, now func() time.Time) *idempotency {
	return &idempotency{cfg: cfg.withDefaults(), now: now, entries: map[string]*idemEntry{}, order: list.New()}
}

type idemState int

const (
	idemNew idemState = iota
	idemReplay
	idemMismatch
	idemBusy
)

func (s *idempotency) begin(key string, print [32]byte) (idemState, *idemEntry) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for e := s.order.Front(); e != nil; {
		next := e.Next()
		if ent := e.Value.(*idemEntry); !now.Before(ent.expires) {
			s.removeLocked(ent)
		} else {
			break
		}
		e = next
	}
	if ent, ok := s.entries[key]; ok {
		switch {
		case ent.print != print:
			return idemMismatch, nil
		case !ent.done:
			return idemBusy, nil
		}
		return idemReplay, ent
	}
	for len(s.entries) >= s.cfg.MaxKeys {
		s.removeLocked(s.order.Front().Value.(*idemEntry))
	}
	ent := &idemEntry{key: key, print: print, expires: now.Add(s.cfg.TTL)}
	ent.elem = s.order.PushBack(ent)
	s.entries[key] = ent
	return idemNew, ent
}

func (s *idempotency) finish(ent *idemEntry, status int, header http.Header, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries[ent.key] != ent {
		return // evicted meanwhile
	}
	if status >= 500 || status == 0 || len(body) > s.cfg.MaxBytes {
		s.removeLocked(ent) // let a retry run again
		return
	}
	ent.done, ent.status, ent.header, ent.body = true, status, header, body
}

func (s *idempotency) removeLocked(ent *idemEntry) {
	delete(s.entries, ent.key)
	s.order.Remove(ent.elem)
}

// validIdempotencyKey: 1..128 printable ASCII characters.
func validIdempotencyKey(k string) bool {
	if k == "" || len(k) > 128 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// middleware replays the first response for a repeated key with the same
// request, refuses the key with a different request (422) or while the
// first is still running (409), and lets requests without a key through.
func (s *idempotency) middleware(maxBody int64) func(ctx huma.Context, next func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		key := ctx.Header(IdempotencyHeader)
		if key == "" {
			next(ctx)
			return
		}
		if !validIdempotencyKey(key) {
			writeProblem(ctx, NewProblem(http.StatusBadRequest, CodeBadRequest, IdempotencyHeader+" must be 1 to 128 printable ASCII characters"))
			return
		}
		body, err := io.ReadAll(io.LimitReader(ctx.BodyReader(), maxBody))
		if err != nil {
			writeProblem(ctx, NewProblem(http.StatusBadRequest, CodeBadRequest, "the request body could not be read"))
			return
		}
		if int64(len(body)) >= maxBody {
			writeProblem(ctx, NewProblem(http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "the request body is too large"))
			return
		}
		u := ctx.URL()
		h := sha256.New()
		h.Write([]byte(ctx.Method() + " " + u.Path + "\x00"))
		h.Write(body)
		var print [32]byte
		copy(print[:], h.Sum(nil))
		sc := scopeOf(ctx.Context())
		owner := Anonymous().key("unknown")
		if sc != nil {
			owner = sc.principal.key(sc.clientAddr)
		}
		state, ent := s.begin(owner+"\x00"+key, print)
		switch state {
		case idemMismatch:
			writeProblem(ctx, NewProblem(http.StatusUnprocessableEntity, CodeIdempotencyReuse, "this "+IdempotencyHeader+" was used for a different request"))
			return
		case idemBusy:
			ctx.SetHeader("Retry-After", "1")
			writeProblem(ctx, NewProblem(http.StatusConflict, CodeIdempotencyBusy, "a request with this "+IdempotencyHeader+" is still being processed"))
			return
		case idemReplay:
			for k, vs := range ent.header {
				for _, v := range vs {
					ctx.AppendHeader(k, v)
				}
			}
			ctx.SetHeader("Idempotent-Replayed", "true")
			ctx.SetStatus(ent.status)
			_, _ = ctx.BodyWriter().Write(ent.body)
			return
		}
		rec := &recordingContext{humaContext: ctx, body: bytes.NewReader(body), header: http.Header{}}
		defer func() {
			s.finish(ent, rec.Status(), rec.header, rec.out.Bytes())
		}()
		next(rec)
	}
}

// recordingContext feeds the buffered body to Huma and records the
// response it writes.
type recordingContext struct {
	humaContext
	body   io.Reader
	header http.Header
	out    bytes.Buffer
}

func (c *recordingContext) Unwrap() huma.Context  { return c.humaContext }
func (c *recordingContext) BodyReader() io.Reader { return c.body }
func (c *recordingContext) BodyWriter() io.Writer {
	return io.MultiWriter(c.humaContext.BodyWriter(), &c.out)
}
func (c *recordingContext) SetHeader(k, v string) {
	if !strings.EqualFold(k, "Set-Cookie") {
		c.header.Set(k, v)
	}
	c.humaContext.SetHeader(k, v)
}
func (c *recordingContext) AppendHeader(k, v string) {
	if !strings.EqualFold(k, "Set-Cookie") {
		c.header.Add(k, v)
	}
	c.humaContext.AppendHeader(k, v)
}

// humaContext lets recordingContext embed huma.Context under a name that
// does not hide its Context method.
type humaContext = huma.Context
