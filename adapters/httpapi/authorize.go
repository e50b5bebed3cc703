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

// presentedToken returns the token of a request: the Authorization Bearer
// header, else the session cookie, else (SSE routes only) the token query
// parameter.
func presentedToken(ctx huma.Context, queryToken bool) string {
	if h := ctx.Header("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if c, err := http.ParseCookie(ctx.Header("Cookie")); err == nil {
		for _, ck := range c {
			if ck.Name == SessionCookie && isSessionToken(ck.Value) {
				return ck.Value
			}
		}
	}
	if queryToken {
		return ctx.Query("token")
	}
	return ""
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
		token := presentedToken(ctx, queryToken)
		if len(token) > maxTokenLen {
			token = token[:maxTokenLen] // matches nothing, compares in bounded time
		}
		pr, cred := Anonymous(), credential{}
		if token != "" && isSessionToken(token) {
			cred.session, sc.token = true, token
			p, err := a.staffPrincipal(ctx, token)
			if err != nil {
				writeProblem(ctx, a.failProblem(sc, err))
				return
			}
			pr = p
		} else if token != "" {
			cred.bearer = token
		}
		d := perm.decide(pr, cred, ctx.Param, a.deps.Capabilities.Grants)
		if d.status != 0 {
			p := NewProblem(d.status, defaultCode(d.status), d.detail)
			if d.status == http.StatusUnauthorized {
				p.GetHeaders().Set("WWW-Authenticate", `Bearer realm="buergerbuero"`)
			}
			writeProblem(ctx, p)
			return
		}
		if d.acting == Citizen {
			id, _ := parseUUID(ctx.Param(perm.SubjectParam))
			pr = CitizenPrincipal(Subject{Kind: perm.Subject, ID: id})
		}
		sc.principal, sc.acting = pr, d.acting
		if cred.session {
			// Long-lived responses (event streams) ask again whether the
			// session, the account and its offices still allow the route.
			sc.stillAllowed = func(c context.Context) bool {
				p, err := a.staffPrincipal(ctx, token)
				return err == nil && perm.decide(p, credential{session: true}, ctx.Param, a.deps.Capabilities.Grants).status == 0
			}
		}
		next(ctx)
	}
}

// staffPrincipal resolves a session token. The account is read on every
// request, so a disabled user or a changed office assignment takes effect
// at once. An unknown or ended session is anonymous.
func (a *API) staffPrincipal(ctx huma.Context, token string) (Principal, error) {
	s, err := a.deps.Sessions.Lookup(ctx.Context(), token)
	if errors.Is(err, ErrNoSession) {
		return Anonymous(), nil
	}
	if err != nil {
		return Anonymous(), err
	}
	acc, err := a.deps.Staff.Get(ctx.Context(), s.UserID)
	if errors.Is(err, staff.ErrNotFound) || err == nil && acc.Disabled {
		_ = a.deps.Sessions.RevokeUser(ctx.Context(), s.UserID)
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
