package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
	_ "time/tzdata" // Europe/Berlin without relying on the host's zoneinfo

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
)

// Config configures the pages.
type Config struct {
	Ports Ports
	// SecureCookies marks the pages' own cookies (CSRF, visit and case
	// passes) Secure; set it behind HTTPS. The staff session cookie is the
	// API's (httpapi.Config.SecureCookies).
	SecureCookies bool
	// Location for dates and times on pages (default Europe/Berlin).
	Location *time.Location
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger for template errors; it never receives personal data.
	Logger *slog.Logger
	// Heartbeat is the interval of SSE keep-alive comments (default 15s).
	Heartbeat time.Duration
}

func (c *Config) defaults() error {
	if c.Location == nil {
		loc, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			return fmt.Errorf("web: %w", err)
		}
		c.Location = loc
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = 15 * time.Second
	}
	return nil
}

// Handler is the pages. It implements httpapi.Pages: pass it as
// httpapi.Deps.Pages and the API serves every page through its own
// pipeline (sessions, permissions, rate limits, error mapping).
type Handler struct {
	cfg   Config
	p     Ports
	pages *pages
	api   *httpapi.API // set by RegisterPages
}

// New builds the pages.
func New(cfg Config) (*Handler, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	pg, err := loadPages(cfg.Location)
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, p: cfg.Ports, pages: pg}, nil
}

// Permissions of the page routes.
var (
	anyone   = httpapi.Permission{Audience: httpapi.Anyone}
	anyStaff = httpapi.Permission{Audience: httpapi.AnyStaff}
	clerk    = httpapi.Permission{Audience: httpapi.Clerk}
	// clerkOf: a clerk assigned to the office in the {office} parameter.
	clerkOf = httpapi.Permission{Audience: httpapi.Clerk, OfficeParam: "office"}
	auditor = httpapi.Permission{Audience: httpapi.Auditor}
	admin   = httpapi.Permission{Audience: httpapi.Admin}
)

// RegisterPages implements httpapi.Pages: every page route with its
// permission, like an operation. Citizens' pages are public at the
// pipeline: the visit, appointment or case they show is named by the
// capability in the citizen's own cookie, which the ports check.
func (h *Handler) RegisterPages(a *httpapi.API) {
	h.api = a
	page := func(pattern string, perm httpapi.Permission, fn http.HandlerFunc, opts ...httpapi.RouteOption) {
		httpapi.RegisterPage(a, pattern, perm, securityHeaders(fn), opts...)
	}
	staff := func(pattern string, perm httpapi.Permission, fn roleHandler) {
		page(pattern, perm, h.staff(fn))
	}
	knocks := httpapi.WithRateLimit(httpapi.RateKnock)
	codes := httpapi.WithRateLimit(httpapi.RateCode)

	page("GET /static/", anyone, staticHandler().ServeHTTP)

	// Citizen.
	page("GET /{$}", anyone, h.home)
	page("GET /live/doors", anyone, h.liveDoors)
	page("GET /devices", anyone, h.devices)
	page("GET /offices/{office}/knock", anyone, h.knockForm)
	page("POST /offices/{office}/knock", anyone, h.knock, knocks)
	page("GET /visit", anyone, h.waiting)
	page("POST /visit/withdraw", anyone, h.withdraw)
	page("GET /live/visit", anyone, h.liveVisit)
	page("GET /visit/call", anyone, h.citizenCall)
	page("GET /appointments", anyone, h.appointments)
	page("POST /appointments", anyone, h.book, knocks)
	page("GET /appointments/manage", anyone, h.manageForm)
	page("POST /appointments/manage", anyone, h.manage, codes)
	// The appointment pages look the code up from the citizen's cookie,
	// which a guesser controls too: the code budget applies.
	page("GET /appointments/confirmation", anyone, h.confirmation, codes)
	page("GET /appointments/confirmation.ics", anyone, h.ics, codes)
	page("POST /appointments/cancel", anyone, h.cancelAppointment, codes)
	page("POST /appointments/reschedule", anyone, h.reschedule, codes)
	page("GET /case", anyone, h.caseForm)
	page("POST /case", anyone, h.caseOpen, codes)
	page("GET /case/view", anyone, h.caseView)

	// Staff.
	page("GET /staff/login", anyone, h.loginForm)
	page("POST /staff/login", anyone, h.login, httpapi.WithRateLimit(httpapi.RateLogin))
	page("POST /staff/logout", anyStaff, h.logout)
	staff("GET /staff", clerk, h.desk)
	staff("POST /staff/offices/{office}/duty", clerkOf, h.duty)
	staff("GET /staff/offices/{office}/queue", clerkOf, h.queue)
	staff("GET /live/queue/{office}", clerkOf, h.liveQueue)
	staff("POST /staff/offices/{office}/admit", clerkOf, h.admit)
	staff("POST /staff/offices/{office}/visits/{visit}/{action}", clerkOf, h.visitAction)
	staff("GET /staff/calls/{visit}", clerk, h.clerkCall)
	staff("GET /staff/cases", clerk, h.caseList)
	staff("GET /staff/cases/{ref}", clerk, h.caseDetail)
	staff("POST /staff/cases/{ref}/{action}", clerk, h.caseAction)
	staff("GET /staff/appointments", clerk, h.todayAppointments)

	// Auditor.
	staff("GET /audit", auditor, h.auditFind)
	staff("GET /audit/cases/{ref}", auditor, h.timeline)
	staff("GET /audit/cases/{ref}/export.json", auditor, h.export)

	// Admin.
	staff("GET /admin", admin, h.adminOffices)
	staff("POST /admin/offices", admin, h.adminCreateOffice)
	staff("POST /admin/offices/{office}/{action}", admin, h.adminOfficeAction)
	staff("GET /admin/staff", admin, h.adminStaff)
	staff("POST /admin/staff", admin, h.adminCreateStaff)
	staff("POST /admin/staff/{staff}/offices", admin, h.adminAssign)

	page("/", anyone, h.notFound)
}
