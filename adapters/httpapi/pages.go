package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Pages are the server-rendered pages (adapters/web). They add their routes
// with RegisterPage, so pages and operations share one pipeline: the
// request scope and access log, cross-origin protection, rate limits, staff
// sessions, permissions and the error mapper. Only rendering differs: an
// operation answers problem+json, a page a readable page.
type Pages interface {
	// RegisterPages adds every page route with RegisterPage.
	RegisterPages(a *API)
	// RenderProblem answers a page request with a page that says what
	// happened: p has its status, stable code, detail and headers
	// (Retry-After, WWW-Authenticate) set; a 401 shows the sign-in form.
	RenderProblem(w http.ResponseWriter, r *http.Request, p *Problem)
}

// PageRoute is a registered page route.
type PageRoute struct {
	Pattern    string // as registered, e.g. "GET /staff/offices/{office}/queue"
	Method     string // "" for patterns without a method
	Path       string
	Permission Permission
}

// PageRoutes lists the registered page routes in registration order, for
// the authorisation matrix.
func (a *API) PageRoutes() []PageRoute { return append([]PageRoute(nil), a.pageRoutes...) }

// RegisterPage adds a page route ("GET /staff", "POST /offices/{office}/knock")
// outside BasePath. perm is checked before the handler exactly as for an
// operation (a zero or inconsistent Permission panics); WithRateLimit shares
// the operations' per-address budgets. The handler finds the principal with
// PrincipalFrom and answers its errors with FailPage.
func RegisterPage(a *API, pattern string, perm Permission, h http.Handler, opts ...RouteOption) {
	var o routeOptions
	for _, f := range opts {
		f(&o)
	}
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	switch {
	case !strings.HasPrefix(path, "/") || strings.HasPrefix(path, BasePath+"/"):
		panic(fmt.Sprintf("httpapi: page %s: path must start with / and lie outside %s", pattern, BasePath))
	case o.idempotent || o.queryToken:
		panic(fmt.Sprintf("httpapi: page %s: idempotency keys and query tokens are for operations", pattern))
	}
	if err := perm.validate(path); err != nil {
		panic(fmt.Sprintf("httpapi: page %s: bad permission: %v", pattern, err))
	}
	if o.rate != "" {
		if _, ok := a.cfg.RateLimits[o.rate]; !ok {
			panic(fmt.Sprintf("httpapi: page %s: unknown rate class %q", pattern, o.rate))
		}
	}
	a.pageRoutes = append(a.pageRoutes, PageRoute{Pattern: pattern, Method: method, Path: path, Permission: perm})
	a.pageMux.Handle(pattern, a.pagePipeline(pattern, perm, o.rate, h))
}

// pagePipeline is the page's counterpart of the operation middlewares
// Register installs: route name, rate limit, permission.
func (a *API) pagePipeline(route string, perm Permission, rate RateClass, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sc := scopeOf(r.Context())
		if sc == nil {
			panic("httpapi: page request without scope: serve the pages through API.Handler")
		}
		sc.route = route
		if rate != "" {
			if ok, wait := a.limiter.allow(rate, sc.clientAddr); !ok {
				a.renderPage(w, r, rateLimited(wait))
				return
			}
		}
		tok := presentedToken(r.Header.Get("Authorization"), r.Header.Get("Cookie"), nil)
		tok.explicit = false // an ended session leaves public pages open; staff pages ask to sign in
		if p := a.check(r.Context(), sc, perm, tok, r.PathValue); p != nil {
			a.renderPage(w, r, p)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// FailPage answers a page request whose handler failed with err: the one
// mapper (ProblemFor) picks status and code, unexpected errors are logged
// with the request ID, and the pages render the problem.
func (a *API) FailPage(w http.ResponseWriter, r *http.Request, err error) {
	p := ProblemFor(err)
	if sc := scopeOf(r.Context()); sc != nil && p.Status >= 500 {
		sc.logInternal(err)
	}
	a.renderPage(w, r, p)
}

func (a *API) renderPage(w http.ResponseWriter, r *http.Request, p *Problem) {
	if sc := scopeOf(r.Context()); sc != nil {
		p.Instance = "urn:uuid:" + sc.requestID.String()
	}
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	if a.deps.Pages == nil {
		writeProblemHTTP(w, r, p)
		return
	}
	a.deps.Pages.RenderProblem(w, r, p)
}

// SignIn checks a staff user's password and starts a session for the
// request, as the login operation does: a session the request presented
// ends (the token rotates) and the session cookie is set on w. Wrong
// credentials are staff.ErrInvalidCredentials.
func (a *API) SignIn(w http.ResponseWriter, r *http.Request, username, password string) (Principal, error) {
	sc := scopeOf(r.Context())
	token, _, p, err := a.startSession(r.Context(), sc, username, password)
	if err != nil {
		return Anonymous(), err
	}
	c := a.sessionCookie(sc, token, 0)
	http.SetCookie(w, &c)
	return p, nil
}

// SignOut ends the request's session (it is revoked server-side, so the
// old cookie opens nothing) and clears the cookie.
func (a *API) SignOut(w http.ResponseWriter, r *http.Request) error {
	sc := scopeOf(r.Context())
	if err := a.endSession(r.Context(), sc); err != nil {
		return err
	}
	c := a.sessionCookie(sc, "", -1)
	http.SetCookie(w, &c)
	return nil
}

func (a *API) startSession(ctx context.Context, sc *requestScope, username, password string) (string, Session, Principal, error) {
	acc, err := a.deps.Staff.VerifyLogin(ctx, username, password)
	if err != nil {
		return "", Session{}, Anonymous(), err
	}
	if sc.token != "" {
		_ = a.deps.Sessions.Revoke(ctx, sc.token)
	}
	token, s, err := a.deps.Sessions.Create(ctx, acc.ID)
	if err != nil {
		return "", Session{}, Anonymous(), err
	}
	p := StaffPrincipal(acc)
	p.sessionHash = HashToken(token)
	return token, s, p, nil
}

func (a *API) endSession(ctx context.Context, sc *requestScope) error {
	if sc.token == "" {
		return nil
	}
	return a.deps.Sessions.Revoke(ctx, sc.token)
}

// rateLimited is the answer past a rate class's budget, for operations
// and pages alike.
func rateLimited(wait time.Duration) *Problem {
	p := NewProblem(http.StatusTooManyRequests, CodeRateLimited, "too many requests from your address; try again later")
	p.GetHeaders().Set("Retry-After", retryAfter(wait))
	return p
}
