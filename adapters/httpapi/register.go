package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

const permissionKey = "httpapi.permission"

// RouteOption adds a cross-cutting policy to an operation.
type RouteOption func(*routeOptions)

type routeOptions struct {
	rate       RateClass
	idempotent bool
	queryToken bool
}

// WithRateLimit shares the class's per-address token bucket; excess
// requests get 429 with Retry-After before anything else runs.
func WithRateLimit(c RateClass) RouteOption { return func(o *routeOptions) { o.rate = c } }

// WithIdempotency honours an Idempotency-Key header: the same key with the
// same request replays the first response; with a different request it is
// 422. Keys are scoped per principal. For POSTs that create things.
func WithIdempotency() RouteOption { return func(o *routeOptions) { o.idempotent = true } }

// withQueryToken accepts the token as the "token" query parameter, for SSE
// only: EventSource cannot set headers.
func withQueryToken() RouteOption { return func(o *routeOptions) { o.queryToken = true } }

var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Register adds an operation under BasePath. op.Path is relative to
// BasePath ("/offices/{officeId}/queue"); op.OperationID is a stable
// kebab-case name. perm is checked before input validation and before the
// handler; a zero or inconsistent Permission panics at startup. Handler
// errors go through ProblemFor.
//
//	httpapi.Register(api, huma.Operation{
//		OperationID: "get-queue", Method: http.MethodGet, Path: "/offices/{officeId}/queue",
//		Summary: "The waiting queue of an office",
//	}, httpapi.Permission{Audience: httpapi.Clerk, OfficeParam: "officeId"}, handler)
func Register[I, O any](a *API, op huma.Operation, perm Permission, handler func(context.Context, *I) (*O, error), opts ...RouteOption) {
	a.prepare(&op, perm, opts)
	huma.Register(a.huma, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := handler(ctx, in)
		if err != nil {
			return nil, a.fail(ctx, err)
		}
		return out, nil
	})
}

// fail maps a handler error to its problem and logs unexpected ones.
func (a *API) fail(ctx context.Context, err error) error {
	p := ProblemFor(err)
	if sc := scopeOf(ctx); sc != nil {
		p.Instance = "urn:uuid:" + sc.requestID.String()
		if p.Status >= 500 {
			sc.logInternal(err)
		}
	}
	return p
}

func (a *API) prepare(op *huma.Operation, perm Permission, optFns []RouteOption) {
	var o routeOptions
	for _, f := range optFns {
		f(&o)
	}
	where := op.Method + " " + op.Path
	if !kebab.MatchString(op.OperationID) {
		panic(fmt.Sprintf("httpapi: %s: operation ID %q must be kebab-case", where, op.OperationID))
	}
	if !strings.HasPrefix(op.Path, "/") || strings.HasPrefix(op.Path, BasePath+"/") {
		panic(fmt.Sprintf("httpapi: %s: path must start with / and be relative to %s", where, BasePath))
	}
	op.Path = BasePath + op.Path
	if err := perm.validate(op.Path); err != nil {
		panic(fmt.Sprintf("httpapi: %s (%s): bad permission: %v", where, op.OperationID, err))
	}
	if o.rate != "" {
		if _, ok := a.cfg.RateLimits[o.rate]; !ok {
			panic(fmt.Sprintf("httpapi: %s: unknown rate class %q", where, o.rate))
		}
	}
	if len(op.Tags) == 0 {
		op.Tags = perm.Audience.Tags()
	}
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = a.cfg.MaxBodyBytes
	}
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[permissionKey] = perm
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	op.Extensions["x-permission"] = perm.describe()
	op.Extensions["x-audience"] = perm.Audience.Tags()
	if perm.OfficeParam != "" {
		op.Extensions["x-office-param"] = perm.OfficeParam
	}
	if perm.SubjectParam != "" {
		op.Extensions["x-subject"] = map[string]string{"kind": perm.Subject.s, "param": perm.SubjectParam}
	}
	op.Security = securityFor(perm, o.queryToken)

	// 401: every route answers an ended session token with invalid_token.
	errs := []int{http.StatusBadRequest, http.StatusUnauthorized}
	if perm.Audience != Anyone {
		errs = append(errs, http.StatusForbidden)
	}
	if o.rate != "" {
		errs = append(errs, http.StatusTooManyRequests)
		op.Extensions["x-rate-limit"] = string(o.rate)
	}
	if op.Method == http.MethodPost || op.Method == http.MethodPut || op.Method == http.MethodPatch {
		errs = append(errs, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
	}
	if o.idempotent {
		errs = append(errs, http.StatusConflict, http.StatusUnprocessableEntity)
		op.Parameters = append(op.Parameters, &huma.Param{
			Name: IdempotencyHeader, In: "header",
			Description: "Optional. Repeating a request with the same key replays the first response; reusing it for a different request is 422. Remembered for an hour per caller.",
			Schema:      &huma.Schema{Type: "string", MinLength: ptr(1), MaxLength: ptr(128), Pattern: `^[!-~]+$`},
		})
	}
	if o.queryToken {
		op.Parameters = append(op.Parameters, &huma.Param{
			Name: "token", In: "query",
			Description: "The capability or session token, only for EventSource clients that cannot send an Authorization header. Prefer the header: URLs end up in proxy logs.",
			Schema:      &huma.Schema{Type: "string", MaxLength: ptr(maxTokenLen)},
		})
	}
	for _, s := range op.Errors {
		if !slices.Contains(errs, s) {
			errs = append(errs, s)
		}
	}
	slices.Sort(errs)
	op.Errors = slices.Compact(errs)

	mw := huma.Middlewares{a.enterRoute(op.OperationID)}
	if o.rate != "" {
		mw = append(mw, a.rateLimit(o.rate))
	}
	mw = append(mw, a.authorize(perm, o.queryToken))
	if o.idempotent {
		mw = append(mw, a.idem.middleware(op.MaxBodyBytes))
	}
	op.Middlewares = append(mw, op.Middlewares...)
}

func ptr[T any](v T) *T { return &v }

// enterRoute records the operation in the request scope for the access log.
func (a *API) enterRoute(id string) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if sc := scopeOf(ctx.Context()); sc != nil {
			sc.route = id
		}
		next(ctx)
	}
}

func (a *API) rateLimit(class RateClass) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		addr := "unknown"
		if sc := scopeOf(ctx.Context()); sc != nil {
			addr = sc.clientAddr
		}
		if ok, wait := a.limiter.allow(class, addr); !ok {
			writeProblem(ctx, rateLimited(wait))
			return
		}
		next(ctx)
	}
}
