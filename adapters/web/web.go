package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
	_ "time/tzdata" // Europe/Berlin without relying on the host's zoneinfo
)

// Config configures the web handler.
type Config struct {
	Ports Ports
	// SessionKey signs staff session cookies; at least 32 bytes.
	SessionKey []byte
	// SecureCookies marks cookies Secure (set it behind HTTPS).
	SecureCookies bool
	// SessionTTL is how long a staff sign-in lasts (default 10h).
	SessionTTL time.Duration
	// Location for dates and times on pages (default Europe/Berlin).
	Location *time.Location
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger for server errors; it never receives personal data.
	Logger *slog.Logger
	// Heartbeat is the interval of SSE keep-alive comments (default 15s).
	Heartbeat time.Duration
	// TrustedOrigins are origins (scheme://host[:port]) whose form posts are
	// accepted although they differ from the request's Host, e.g. when a
	// proxy rewrites Host. Same-origin posts never need an entry.
	TrustedOrigins []string
}

// Validate reports every problem of the config at once.
func (c Config) Validate() error {
	var errs []error
	if len(c.SessionKey) < 32 {
		errs = append(errs, errors.New("web: SessionKey must have at least 32 bytes"))
	}
	if c.SessionTTL < 0 {
		errs = append(errs, errors.New("web: SessionTTL must not be negative"))
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range c.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("web: trusted origin: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (c *Config) defaults() error {
	if c.SessionTTL == 0 {
		c.SessionTTL = 10 * time.Hour
	}
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

// Handler serves every page, the live streams and the static assets.
type Handler struct {
	cfg   Config
	p     Ports
	pages *pages
	mux   *http.ServeMux
	root  http.Handler
	// logins limits sign-in attempts per client address.
	logins *loginLimiter
}

// New builds the web handler. Mount it at "/" next to the JSON API.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	pg, err := loadPages(cfg.Location)
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, p: cfg.Ports, pages: pg, mux: http.NewServeMux(), logins: newLoginLimiter()}
	h.routes()
	cop := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		_ = cop.AddTrustedOrigin(o) // validated above
	}
	h.root = securityHeaders(cop.Handler(h.mux))
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.root.ServeHTTP(w, r) }

func (h *Handler) routes() {
	m := h.mux
	m.Handle("GET /static/", staticHandler())

	// Citizen.
	m.HandleFunc("GET /{$}", h.home)
	m.HandleFunc("GET /live/doors", h.liveDoors)
	m.HandleFunc("GET /devices", h.devices)
	m.HandleFunc("GET /offices/{office}/knock", h.knockForm)
	m.HandleFunc("POST /offices/{office}/knock", h.knock)
	m.HandleFunc("GET /visit", h.waiting)
	m.HandleFunc("POST /visit/withdraw", h.withdraw)
	m.HandleFunc("GET /live/visit", h.liveVisit)
	m.HandleFunc("GET /visit/call", h.citizenCall)
	m.HandleFunc("GET /appointments", h.appointments)
	m.HandleFunc("POST /appointments", h.book)
	m.HandleFunc("GET /appointments/manage", h.manageForm)
	m.HandleFunc("POST /appointments/manage", h.manage)
	m.HandleFunc("GET /appointments/confirmation", h.confirmation)
	m.HandleFunc("GET /appointments/confirmation.ics", h.ics)
	m.HandleFunc("POST /appointments/cancel", h.cancelAppointment)
	m.HandleFunc("POST /appointments/reschedule", h.reschedule)
	m.HandleFunc("GET /case", h.caseForm)
	m.HandleFunc("POST /case", h.caseOpen)
	m.HandleFunc("GET /case/view", h.caseView)

	// Staff.
	m.HandleFunc("GET /staff/login", h.loginForm)
	m.HandleFunc("POST /staff/login", h.login)
	m.HandleFunc("POST /staff/logout", h.logout)
	m.HandleFunc("GET /staff", h.role(RoleClerk, h.desk))
	m.HandleFunc("POST /staff/offices/{office}/duty", h.role(RoleClerk, h.duty))
	m.HandleFunc("GET /staff/offices/{office}/queue", h.role(RoleClerk, h.queue))
	m.HandleFunc("GET /live/queue/{office}", h.role(RoleClerk, h.liveQueue))
	m.HandleFunc("POST /staff/offices/{office}/admit", h.role(RoleClerk, h.admit))
	m.HandleFunc("POST /staff/offices/{office}/visits/{visit}/{action}", h.role(RoleClerk, h.visitAction))
	m.HandleFunc("GET /staff/calls/{visit}", h.role(RoleClerk, h.clerkCall))
	m.HandleFunc("GET /staff/cases", h.role(RoleClerk, h.caseList))
	m.HandleFunc("GET /staff/cases/{ref}", h.role(RoleClerk, h.caseDetail))
	m.HandleFunc("POST /staff/cases/{ref}/{action}", h.role(RoleClerk, h.caseAction))
	m.HandleFunc("GET /staff/appointments", h.role(RoleClerk, h.todayAppointments))

	// Auditor.
	m.HandleFunc("GET /audit", h.role(RoleAuditor, h.auditFind))
	m.HandleFunc("GET /audit/cases/{ref}", h.role(RoleAuditor, h.timeline))
	m.HandleFunc("GET /audit/cases/{ref}/export.json", h.role(RoleAuditor, h.export))

	// Admin.
	m.HandleFunc("GET /admin", h.role(RoleAdmin, h.adminOffices))
	m.HandleFunc("POST /admin/offices", h.role(RoleAdmin, h.adminCreateOffice))
	m.HandleFunc("POST /admin/offices/{office}/{action}", h.role(RoleAdmin, h.adminOfficeAction))
	m.HandleFunc("GET /admin/staff", h.role(RoleAdmin, h.adminStaff))
	m.HandleFunc("POST /admin/staff", h.role(RoleAdmin, h.adminCreateStaff))
	m.HandleFunc("POST /admin/staff/{staff}/offices", h.role(RoleAdmin, h.adminAssign))

	m.HandleFunc("/", h.notFound)
}
