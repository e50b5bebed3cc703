package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds every page template per language.
type pages struct {
	byLang map[string]map[string]*template.Template
	cats   map[string]catalogue
}

const layoutFile = "templates/layout.html"

var sharedFiles = []string{layoutFile, "templates/partials.html"}

func loadPages(loc *time.Location) (*pages, error) {
	cats, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pg := &pages{byLang: map[string]map[string]*template.Template{}, cats: cats}
	for _, lang := range Languages {
		base, err := template.New("layout.html").Funcs(funcs(lang, cats[lang], loc)).ParseFS(templateFS, sharedFiles...)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		pg.byLang[lang] = map[string]*template.Template{}
		for _, name := range names {
			if slices.Contains(sharedFiles, name) {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(templateFS, name)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
			pg.byLang[lang][strings.TrimSuffix(path.Base(name), ".html")] = t
		}
	}
	return pg, nil
}

var weekdayKeys = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func funcs(lang string, cat catalogue, loc *time.Location) template.FuncMap {
	dateLayout, timeLayout := "02.01.2006", "15:04"
	if lang == "en" {
		dateLayout = "2006-01-02"
	}
	return template.FuncMap{
		"t": func(key string, args ...any) (string, error) { return cat.text(key, args...) },
		// requestid is a fresh request ID for one rendered form: the same
		// form sent twice (a lost answer, a double click) is one request.
		"requestid": func() string { return uuid.NewString() },
		// tk looks up prefix+value, for enumerations (door states, roles, …).
		"tk": func(prefix string, value any) (string, error) { return cat.text(prefix + fmt.Sprint(value)) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format(dateLayout)
		},
		"clock": func(t time.Time) string { return t.In(loc).Format(timeLayout) },
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format(dateLayout + " " + timeLayout)
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"weekday": func(t time.Time) (string, error) {
			return cat.text("weekday." + weekdayKeys[t.In(loc).Weekday()])
		},
		"isodate": func(s string) string { return s },
		"add":     func(a, b int) int { return a + b },
		"has":     func(list []string, v string) bool { return slices.Contains(list, v) },
		"join":    strings.Join,
		"lang":    func() string { return lang },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

// view is what the layout needs besides a page's own data.
type view struct {
	Lang    string
	LangURL map[string]string
	Path    string
	CSRF    string
	Staff   *Principal
	Nav     []navItem
	Flash   string // message key of a success notice
	Error   string // message key of an error
	// ErrorText is the error's text when it has arguments (it wins over
	// Error).
	ErrorText string
	Status    int
	Data      any
}

type navItem struct {
	Href, Key string
	Current   bool
}

func (h *Handler) newView(w http.ResponseWriter, r *http.Request, data any) *view {
	lang := h.requestLang(w, r)
	v := &view{Lang: lang, Path: r.URL.Path, CSRF: h.csrfToken(w, r), Data: data, LangURL: map[string]string{}}
	for _, l := range Languages {
		q := r.URL.Query()
		q.Set("lang", l)
		v.LangURL[l] = r.URL.Path + "?" + q.Encode()
	}
	if p, ok := principalOf(r.Context()); ok {
		v.Staff = &p
	}
	if f := r.URL.Query().Get("ok"); strings.HasPrefix(f, "flash.") {
		if _, known := h.pages.cats[lang][f]; known {
			v.Flash = f
		}
	}
	v.Nav = h.nav(r.URL.Path, v.Staff)
	return v
}

func (h *Handler) nav(current string, p *Principal) []navItem {
	var items []navItem
	add := func(href, key string) {
		items = append(items, navItem{Href: href, Key: key, Current: current == href})
	}
	if p == nil {
		add("/", "nav.home")
		add("/appointments", "nav.appointments")
		add("/case", "nav.case")
		add("/devices", "nav.devices")
		return items
	}
	switch p.Role {
	case RoleClerk:
		add("/staff", "nav.desk")
		add("/staff/cases", "nav.cases")
		add("/staff/appointments", "nav.today")
	case RoleAuditor:
		add("/audit", "nav.audit")
	case RoleAdmin:
		add("/admin", "nav.admin_offices")
		add("/admin/staff", "nav.admin_staff")
	}
	return items
}

// render writes a page; a template error is a 500, logged without data.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, v *view) {
	t, ok := h.pages.byLang[v.Lang][name]
	if !ok {
		h.fail(w, r, fmt.Errorf("web: no template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if v.Status != 0 {
		w.WriteHeader(v.Status)
	}
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request, name string, data any) {
	h.render(w, r, name, h.newView(w, r, data))
}

// errorPage answers with the error page showing the message key (with
// its arguments), for what a handler itself refuses (form checks).
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	v := h.newView(w, r, nil)
	v.Status = status
	v.Error = key
	if len(args) > 0 {
		v.ErrorText, _ = h.pages.cats[v.Lang].text(key, args...)
	}
	t := h.pages.byLang[v.Lang]["error"]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if t == nil || t.ExecuteTemplate(w, "layout.html", v) != nil {
		_, _ = w.Write([]byte("error"))
	}
}

// fail answers a port error through the API's one error mapper
// (httpapi.ProblemFor), which calls RenderProblem.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the browser went away
	}
	h.api.FailPage(w, r, err)
}

// RenderProblem implements httpapi.Pages: a page that says what happened.
// A 401 is the sign-in form (it returns to the page asked for), a 429 says
// when to try again; every other problem shows the message of its stable
// code ("problem.<code>" in the catalogues), else of its status.
func (h *Handler) RenderProblem(w http.ResponseWriter, r *http.Request, p *httpapi.Problem) {
	setSecurityHeaders(w.Header())
	lang := h.requestLang(w, r)
	switch {
	case p.Status == http.StatusUnauthorized:
		next := ""
		if r.Method == http.MethodGet {
			next = localPath(r.URL.RequestURI(), "")
		}
		v := h.newView(w, r, loginData{Next: next})
		v.Status, v.Error = p.Status, "error.signin"
		h.render(w, r, "login", v)
		return
	case p.Status == http.StatusTooManyRequests && r.URL.Path == "/staff/login":
		v := h.newView(w, r, loginData{}) // the body stays unread: it is refused
		v.Status, v.Error = p.Status, "login.too_many"
		h.render(w, r, "login", v)
		return
	}
	key := "problem." + p.Code
	if _, ok := h.pages.cats[lang][key]; !ok {
		key = statusKey(p.Status)
	}
	var args []any
	switch {
	case p.Code == "door_closed" && p.NextOpening != nil:
		key = "problem.door_closed_until"
		args = append(args, h.formatTime(lang, *p.NextOpening))
	case p.Status == http.StatusTooManyRequests:
		args = append(args, w.Header().Get("Retry-After"))
	}
	h.errorPage(w, r, p.Status, key, args...)
}

// statusKey is the message of a problem without a message of its own.
func statusKey(status int) string {
	switch status {
	case http.StatusNotFound:
		return "error.not_found"
	case http.StatusForbidden:
		return "error.forbidden"
	case http.StatusConflict:
		return "error.conflict"
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
		return "error.invalid"
	case http.StatusServiceUnavailable:
		return "error.unavailable"
	}
	return "error.internal"
}

// formatTime writes t as the pages do (funcs' datetime).
func (h *Handler) formatTime(lang string, t time.Time) string {
	layout := "02.01.2006 15:04"
	if lang == "en" {
		layout = "2006-01-02 15:04"
	}
	return t.In(h.cfg.Location).Format(layout)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

func (h *Handler) unavailable(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusServiceUnavailable, "error.unavailable")
}

// posted parses a form post and checks its CSRF token; on failure it has
// answered already.
func (h *Handler) posted(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "error.invalid")
		return false
	}
	if !checkCSRF(r) {
		h.errorPage(w, r, http.StatusForbidden, "error.csrf")
		return false
	}
	return true
}

// redirect answers a post with 303 See Other (POST-redirect-GET), optionally
// with a flash message key.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath accepts only same-site absolute paths (no open redirects): no
// scheme or host, no backslash and no control or space bytes anywhere
// (browsers drop tabs and newlines, so "/\t/evil" would become "//evil").
func localPath(s, fallback string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return fallback
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f || s[i] == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "//") {
		return fallback
	}
	return u.RequestURI()
}

type roleHandler func(w http.ResponseWriter, r *http.Request, p Principal)

// staff passes the signed-in staff member to next; the route's permission
// has admitted them already.
func (h *Handler) staff(next roleHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(r.Context())
		if !ok {
			h.fail(w, r, domain.Forbidden("not_signed_in", "not signed in"))
			return
		}
		next(w, r, p)
	}
}

// principalOf is the staff member of a request as the pages see them, in
// the role the route admitted them as (on public pages: their first role
// of clerk, auditor, admin).
func principalOf(ctx context.Context) (Principal, bool) {
	pr := httpapi.PrincipalFrom(ctx)
	if pr.Kind() != httpapi.KindStaff {
		return Principal{}, false
	}
	acc := pr.Account()
	p := Principal{ID: acc.ID.String(), Name: acc.Username}
	for _, o := range acc.Offices {
		p.Offices = append(p.Offices, o.String())
	}
	acting := httpapi.ActingFrom(ctx)
	for _, c := range []struct {
		a    httpapi.Audience
		r    staff.Role
		name string
	}{{httpapi.Clerk, staff.RoleClerk, RoleClerk}, {httpapi.Auditor, staff.RoleAuditor, RoleAuditor}, {httpapi.Admin, staff.RoleAdmin, RoleAdmin}} {
		if acting&c.a != 0 && acc.HasRole(c.r) {
			p.Role = c.name
			return p, true
		}
	}
	for _, c := range []struct {
		r    staff.Role
		name string
	}{{staff.RoleClerk, RoleClerk}, {staff.RoleAuditor, RoleAuditor}, {staff.RoleAdmin, RoleAdmin}} {
		if acc.HasRole(c.r) {
			p.Role = c.name
			return p, true
		}
	}
	return p, true
}
