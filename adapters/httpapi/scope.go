package httpapi

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

type scopeKey struct{}

// requestScope is what the HTTP layer knows about one request. It lives in
// the request's context from the outermost middleware on.
type requestScope struct {
	requestID  uuid.UUID
	clientAddr string // rate-limit key: client IP (IPv6: its /64)
	tls        bool
	log        *slog.Logger
	principal  Principal
	acting     Audience // the audience the permission check admitted
	route      string   // operation ID, for the access log
	token      string   // the presented session token (login rotates it); never logged
	// stillAllowed re-checks a staff session's permission (nil: nothing
	// to re-check, e.g. stateless citizen tokens).
	stillAllowed func(context.Context) bool
}

func scopeOf(ctx context.Context) *requestScope {
	s, _ := ctx.Value(scopeKey{}).(*requestScope)
	return s
}

// logInternal logs an unexpected error of a request: its text is the only
// thing logged, next to the request ID and route; errors from lower layers
// carry stream names and IDs, never personal data.
func (s *requestScope) logInternal(err error) {
	s.log.Error("request failed", "request_id", s.requestID, "error", err.Error())
}

// ActingFrom returns the audience member the permission check admitted the
// principal of ctx's request as (Clerk on a clerk route, even for a user
// who is also an auditor); zero outside a checked route.
func ActingFrom(ctx context.Context) Audience {
	if s := scopeOf(ctx); s != nil {
		return s.acting
	}
	return 0
}

// StillAllowed reports whether the request ctx belongs to is still allowed
// its route: for staff sessions it asks again whether the session, the
// account and its offices admit it (signed out, disabled or moved to
// another office: false). Long-lived responses ask it at each heartbeat:
// the API's event streams and the pages' live views.
func StillAllowed(ctx context.Context) bool {
	s := scopeOf(ctx)
	return s == nil || s.stillAllowed == nil || s.stillAllowed(ctx)
}

// RequestID returns the ID of the request ctx belongs to (uuid.Nil outside
// a request). It is also the problem instance and the X-Request-ID header.
func RequestID(ctx context.Context) uuid.UUID {
	if s := scopeOf(ctx); s != nil {
		return s.requestID
	}
	return uuid.Nil
}

// CommandContext returns the application command context of a request: the
// actor is the principal in the role the route admitted it as (a clerk's
// ClerkID, an auditor's user ID, an admin as staff-admin, a citizen as its
// subject), the correlation ID is the request ID.
func CommandContext(ctx context.Context) command.Context {
	s := scopeOf(ctx)
	if s == nil {
		return command.Context{}
	}
	return command.Context{Actor: actorOf(s.principal, s.acting), CorrelationID: s.requestID}
}

func actorOf(p Principal, acting Audience) domain.Actor {
	switch p.Kind() {
	case KindCitizen:
		a, _ := domain.NewActor(domain.RoleCitizen, p.subject.Kind.s+"/"+p.subject.ID.String())
		return a
	case KindStaff:
		id := p.account.ID
		switch {
		case acting&Clerk != 0 && p.HasRole(staff.RoleClerk):
			return domain.ClerkActor(domain.IDFrom[domain.ClerkID](id.UUID()))
		case acting&Auditor != 0 && p.HasRole(staff.RoleAuditor):
			a, _ := domain.NewActor(domain.RoleAuditor, id.String())
			return a
		case acting&Admin != 0 && p.HasRole(staff.RoleAdmin):
			return appstaff.AdminActor(id)
		}
	}
	return domain.Actor{}
}
