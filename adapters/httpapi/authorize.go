package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// SessionCookie is the name of the staff session cookie.
const SessionCookie = "bb_session"

// presented is the token a request carries and where it came from.
type presented struct {
	token string
	// explicit: from the Authorization header or the token query
	// parameter, not from the cookie a browser sends on its own.
	explicit bool
}

// presentedToken returns the token of a request: the Authorization Bearer
// header, else the session cookie, else (SSE routes only, query != nil) the
// token query parameter.
func presentedToken(authorization, cookies string, query func() string) presented {
	if authorization != "" {
		scheme, tok, ok := strings.Cut(authorization, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return presented{token: strings.TrimSpace(tok), explicit: true}
		}
		return presented{}
	}
	if c, err := http.ParseCookie(cookies); err == nil {
		for _, ck := range c {
			if ck.Name == SessionCookie && isSessionToken(ck.Value) {
				return presented{token: ck.Value}
			}
		}
	}
	if query != nil {
		return presented{token: query(), explicit: true}
	}
	return presented{}
}

// authorize resolves the principal and enforces perm before anything of the
// operation runs: 401 without (valid) credentials, 403 with credentials
// that do not grant the operation.
func (a *API) authorize(perm Permission, queryToken bool) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		sc := scopeOf(ctx.Context())
		if sc == nil {
			panic("httpapi: request without scope: serve the API through API.Handler")
		}
		var query func() string
		if queryToken {
			query = func() string { return ctx.Query("token") }
		}
		tok := presentedToken(ctx.Header("Authorization"), ctx.Header("Cookie"), query)
		if p := a.check(ctx.Context(), sc, perm, tok, ctx.Param); p != nil {
			writeProblem(ctx, p)
			return
		}
		next(ctx)
	}
}

// check is the one permission check of operations and pages: it resolves
// the principal of the presented token into sc and decides perm, returning
// the problem to answer with (nil: allowed). A session token that names no
// live session is 401 invalid_token on every route when it was presented
// explicitly; from a cookie it counts as anonymous, so a stale cookie does
// not lock a browser out of public pages.
func (a *API) check(ctx context.Context, sc *requestScope, perm Permission, tok presented, param func(string) string) *Problem {
	token := tok.token
	if len(token) > maxTokenLen {
		token = token[:maxTokenLen] // matches nothing, compares in bounded time
	}
	pr, cred := Anonymous(), credential{}
	if token != "" && isSessionToken(token) {
		cred.session, sc.token = true, token
		p, err := a.staffPrincipal(ctx, token)
		if err != nil {
			return a.failProblem(sc, err)
		}
		if p.Kind() != KindStaff && tok.explicit {
			return invalidToken()
		}
		pr = p
	} else if token != "" {
		cred.bearer = token
	}
	d := perm.decide(pr, cred, param, a.deps.Capabilities.Grants)
	if d.status != 0 {
		if d.status == http.StatusUnauthorized && cred.session {
			return invalidToken()
		}
		p := NewProblem(d.status, defaultCode(d.status), d.detail)
		if d.status == http.StatusUnauthorized {
			p.GetHeaders().Set("WWW-Authenticate", `Bearer realm="buergerbuero"`)
		}
		return p
	}
	if d.acting == Citizen {
		id, _ := parseUUID(param(perm.SubjectParam))
		pr = CitizenPrincipal(Subject{Kind: perm.Subject, ID: id})
	}
	sc.principal, sc.acting = pr, d.acting
	if cred.session && pr.Kind() == KindStaff {
		// Long-lived responses (event streams) ask again whether the
		// session, the account and its offices still allow the route.
		sc.stillAllowed = func(c context.Context) bool {
			p, err := a.staffPrincipal(c, token)
			return err == nil && perm.decide(p, credential{session: true}, param, a.deps.Capabilities.Grants).status == 0
		}
	}
	return nil
}

// invalidToken is the answer to a session token that names no live
// session (RFC 6750 section 3.1).
func invalidToken() *Problem {
	p := NewProblem(http.StatusUnauthorized, CodeUnauthenticated, "the session has ended or the token is not valid; sign in again")
	p.GetHeaders().Set("WWW-Authenticate", `Bearer realm="buergerbuero", error="invalid_token"`)
	return p
}

// staffPrincipal resolves a session token. The account is read on every
// request, so a disabled user or a changed office assignment takes effect
// at once. An unknown or ended session is anonymous.
func (a *API) staffPrincipal(ctx context.Context, token string) (Principal, error) {
	s, err := a.deps.Sessions.Lookup(ctx, token)
	if errors.Is(err, ErrNoSession) {
		return Anonymous(), nil
	}
	if err != nil {
		return Anonymous(), err
	}
	acc, err := a.deps.Staff.Get(ctx, s.UserID)
	if errors.Is(err, staff.ErrNotFound) || err == nil && acc.Disabled {
		_ = a.deps.Sessions.RevokeUser(ctx, s.UserID)
		return Anonymous(), nil
	}
	if err != nil {
		return Anonymous(), err
	}
	p := StaffPrincipal(acc)
	p.sessionHash = HashToken(token)
	return p, nil
}

func (a *API) failProblem(sc *requestScope, err error) *Problem {
	p := ProblemFor(err)
	if p.Status >= 500 {
		sc.logInternal(err)
	}
	return p
}
