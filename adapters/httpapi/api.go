package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// BasePath prefixes every business operation; Register adds it.
const BasePath = "/api/v1"

// Title and Version describe the API in its OpenAPI document.
const (
	Title   = "Virtuelles Bürgerbüro API"
	Version = "1.0.0"
)

// Config is the HTTP layer's configuration; the zero value runs on a laptop.
type Config struct {
	// SecureCookies marks the session cookie Secure even when the request
	// arrived without TLS (TLS ends at a proxy). Requests over TLS always
	// get Secure cookies.
	SecureCookies bool
	// TrustedOrigins are origins (scheme://host[:port]) whose unsafe
	// requests (form posts, API calls) are accepted although they differ
	// from the request's Host, e.g. when a proxy rewrites Host.
	TrustedOrigins []string
	// TrustedProxies are the proxies whose X-Forwarded-For is believed when
	// finding a client's address for rate limits.
	TrustedProxies []netip.Prefix
	// RateLimits per class; missing classes use DefaultRateLimits.
	RateLimits map[RateClass]RateLimit
	// MaxRateKeys bounds the client addresses remembered per class
	// (default 100 000).
	MaxRateKeys int
	// Idempotency bounds the remembered Idempotency-Key responses.
	Idempotency IdempotencyConfig
	// MaxBodyBytes is the default request body limit of an operation
	// (default 64 KiB); larger bodies get 413.
	MaxBodyBytes int64
	// Heartbeat is the interval of SSE comment lines (default 15 s).
	Heartbeat time.Duration
	// Now is the clock of sessions, rate limits and idempotency keys.
	Now func() time.Time
	// Logger receives request and error logs without personal data
	// (default: discard).
	Logger *slog.Logger
	// ReadYourWrites bounds how long a response that shows read-model data
	// after a command waits for the read side to reach the command's
	// position (default 1 s); after it, the response shows what is there.
	ReadYourWrites time.Duration
}

// Validate joins every problem of c.
func (c Config) Validate() error {
	var errs []error
	for class, l := range c.RateLimits {
		if l.Every <= 0 || l.Burst < 1 {
			errs = append(errs, fmt.Errorf("rate limit %s: every must be > 0 and burst ≥ 1", class))
		}
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range c.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("trusted origin: %w", err))
		}
	}
	if c.MaxBodyBytes < 0 || c.Heartbeat < 0 || c.MaxRateKeys < 0 || c.ReadYourWrites < 0 {
		errs = append(errs, errors.New("negative body limit, heartbeat or rate key bound"))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	limits := map[RateClass]RateLimit{}
	for k, v := range DefaultRateLimits {
		limits[k] = v
	}
	for k, v := range c.RateLimits {
		limits[k] = v
	}
	c.RateLimits = limits
	if c.MaxRateKeys == 0 {
		c.MaxRateKeys = 100_000
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 64 << 10
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = 15 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ReadYourWrites == 0 {
		c.ReadYourWrites = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

// StaffService is what the API needs of application/staff.
type StaffService interface {
	VerifyLogin(ctx context.Context, username, password string) (appstaff.Account, error)
	Get(ctx context.Context, id staff.UserID) (appstaff.Account, error)
	List(ctx context.Context) ([]appstaff.Account, error)
	Create(ctx context.Context, c command.Context, cmd appstaff.CreateCommand) (appstaff.Account, error)
	AssignOffices(ctx context.Context, c command.Context, id staff.UserID, offices []domain.OfficeID) (appstaff.Account, error)
	SetPassword(ctx context.Context, c command.Context, id staff.UserID, password string) error
	Disable(ctx context.Context, c command.Context, id staff.UserID) (appstaff.Account, error)
}

// Deps are the API's collaborators; all are required for New.
type Deps struct {
	Staff        StaffService
	Sessions     Sessions
	Capabilities Capabilities
	// Ready reports whether the service can take traffic (event store
	// reachable, read models caught up); /healthz answers 503 otherwise.
	Ready func(ctx context.Context) error
	// Pages are the server-rendered pages, served outside BasePath through
	// the same pipeline as the operations; nil answers other paths 404.
	Pages Pages

	// The business routes' collaborators: set all four or none. Without
	// them the business routes are documented but answer 503.
	//
	// App is every use case (application.New).
	App *application.Application
	// Models are the read models the event bus feeds (readmodel.New).
	Models *readmodel.Models
	// Changes is the notifier the read models were built with; it feeds
	// the event streams.
	Changes readside.ChangeNotifier
	// Progress is the read side's progress (*eventbus.Bus): responses that
	// show read-model data after a command wait for its position.
	Progress ReadProgress

	// Calls is the calls service (the Calls of mediabridge.New), for the
	// call routes; nil answers them 503.
	Calls CallService
}

// ReadProgress is the read side's position in $all; *eventbus.Bus
// implements it.
type ReadProgress interface {
	WaitFor(ctx context.Context, p eventlog.Position) error
}

// API is the Huma API with the Bürgerbüro's cross-cutting policies. Routes
// are added with Register and RegisterSSE; Handler serves it all.
type API struct {
	huma    huma.API
	mux     *http.ServeMux
	cfg     Config
	deps    Deps
	limiter *limiter
	idem    *idempotency
	// pageMux and pageRoutes hold the page routes (RegisterPage).
	pageMux    *http.ServeMux
	pageRoutes []PageRoute
}

// New builds the API with the built-in routes (login, logout, me, staff
// administration). Business routes are added afterwards with Register.
func New(cfg Config, deps Deps) (*API, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Staff == nil || deps.Sessions == nil || deps.Capabilities == nil || deps.Ready == nil {
		return nil, errors.New("httpapi: New needs Staff, Sessions, Capabilities and Ready")
	}
	if n := countSet(deps.App != nil, deps.Models != nil, deps.Changes != nil, deps.Progress != nil); n != 0 && n != 4 {
		return nil, errors.New("httpapi: set App, Models, Changes and Progress together (or none)")
	}
	return newAPI(cfg, deps), nil
}

func newAPI(cfg Config, deps Deps) *API {
	cfg = cfg.withDefaults()
	a := &API{
		mux:     http.NewServeMux(),
		cfg:     cfg,
		deps:    deps,
		limiter: newLimiter(cfg.RateLimits, cfg.Now, cfg.MaxRateKeys),
		idem:    newIdempotency(cfg.Idempotency, cfg.Now),
		pageMux: http.NewServeMux(),
	}
	hc := huma.DefaultConfig(Title, Version)
	hc.CreateHooks = nil // no $schema properties and Link headers
	hc.DocsPath = ""     // our own docs page loads nothing from third parties
	hc.SchemasPath = ""
	hc.Formats = huma.DefaultFormats
	hc.Info.Description = apiDescription
	hc.Components.SecuritySchemes = securitySchemes()
	hc.OnAddOperation = append(hc.OnAddOperation, requirePermission, documentOperation, exampleOperation)
	hc.Servers = []*huma.Server{{URL: "/", Description: "The installation that serves this document (paths include " + BasePath + ")"}}
	hc.Tags = apiTags()
	a.huma = humago.New(a.mux, hc)
	for _, register := range routeGroups {
		register(a)
	}
	if deps.Pages != nil {
		deps.Pages.RegisterPages(a)
	}
	return a
}

// Huma returns the underlying Huma API, e.g. for its OpenAPI document.
// Registering on it directly panics: use Register.
func (a *API) Huma() huma.API { return a.huma }

// requirePermission refuses operations not registered through Register,
// and bounds the Set-Cookie header Huma documents as a plain string.
func requirePermission(_ *huma.OpenAPI, op *huma.Operation) {
	if _, ok := op.Metadata[permissionKey].(Permission); !ok {
		panic(fmt.Sprintf("httpapi: operation %s %s registered without a Permission: use httpapi.Register", op.Method, op.Path))
	}
	for _, r := range op.Responses {
		if h := r.Headers["Set-Cookie"]; h != nil && h.Schema != nil && h.Schema.MaxLength == nil {
			h.Schema.MaxLength = ptr(4096)
		}
	}
}

// OpenAPIYAML returns the OpenAPI 3.1 document of the whole API as YAML,
// without starting a server: `buergerbuero openapi` prints it and
// api/openapi.yaml is a copy.
func OpenAPIYAML() ([]byte, error) {
	return Documented().huma.OpenAPI().YAML()
}

// Documented returns an API with every route but no collaborators, for
// generating documents; its handlers must never be served.
func Documented() *API { return newAPI(Config{}, Deps{}) }

// routeGroups register the operations, one function per area. Business
// routes are added here, with what they need in Deps.
var routeGroups = []func(*API){
	registerAuthRoutes, registerStaffRoutes,
	registerOfficeRoutes, registerAdminOfficeRoutes, registerVisitRoutes, registerQueueRoutes, registerDutyRoutes,
	registerAppointmentRoutes, registerCaseRoutes, registerDocumentRoutes, registerCitizenCaseRoutes,
	registerAuditRoutes, registerStatsRoutes, registerCallRoutes,
}
