package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/domain"
)

// This file holds what the business route groups share: access to the
// application and read models, read-your-writes, and the identity of the
// caller in domain terms.

func countSet(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// errNotWired answers business routes of an API built without App, Models,
// Changes and Progress (documents, the platform's own tests).
var errNotWired = NewProblem(http.StatusServiceUnavailable, CodeUnavailable, "")

// business returns the application and read models, or 503 when the API
// was built without them.
func (a *API) business() (*application.Application, *readmodel.Models, error) {
	if a.deps.App == nil || a.deps.Models == nil {
		return nil, nil, errNotWired
	}
	return a.deps.App, a.deps.Models, nil
}

// settle waits until the read side has applied the event at p, at most
// Config.ReadYourWrites; after that the response shows what the read
// models hold (a little stale rather than failing a command that worked).
func (a *API) settle(ctx context.Context, p eventlog.Position) {
	if a.deps.Progress == nil || p == (eventlog.Position{}) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.ReadYourWrites)
	defer cancel()
	_ = a.deps.Progress.WaitFor(ctx, p)
}

// citizenToken returns the capability token of the citizen's subject. The
// permission check has verified the presented token, and tokens are derived
// deterministically from the subject, so the derived token equals it; the
// application checks it again.
func (a *API) citizenToken(ctx context.Context) string {
	p := PrincipalFrom(ctx)
	if p.Kind() != KindCitizen || a.deps.App == nil || a.deps.App.Tokens == nil {
		return ""
	}
	return a.deps.App.Tokens.Token(p.Subject().Kind.s, p.Subject().ID)
}

// clerkOf returns the calling staff user as a clerk ID (the zero ID for
// other callers).
func clerkOf(ctx context.Context) domain.ClerkID {
	p := PrincipalFrom(ctx)
	if p.Kind() != KindStaff {
		return domain.ClerkID{}
	}
	return domain.IDFrom[domain.ClerkID](p.Account().ID.UUID())
}

// idOf parses a path or body UUID into a typed ID; malformed values are a
// 422 validation problem naming the field.
func idOf[I any](field, s string, parse func(string) (I, error)) (I, error) {
	id, err := parse(s)
	if err != nil {
		var zero I
		return zero, invalidField(field, "must be a UUID")
	}
	return id, nil
}

// invalidField is a 422 problem about one field.
func invalidField(location, message string) *Problem {
	p := NewProblem(http.StatusUnprocessableEntity, CodeValidation, "1 field(s) of the request are invalid")
	p.Errors = []FieldError{{Location: location, Message: message}}
	return p
}

// optTime returns nil for the zero time, so JSON leaves it out.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// optID returns "" for a zero ID.
func optID(id interface {
	IsZero() bool
	String() string
}) string {
	if id.IsZero() {
		return ""
	}
	return id.String()
}
