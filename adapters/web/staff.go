package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

type loginData struct {
	Next     string
	Username string
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, "login", loginData{Next: localPath(r.URL.Query().Get("next"), "")})
}

// login signs in through the API's sessions (the same as POST
// /api/v1/auth/login): a server-side session, revocable, with idle and
// absolute timeouts, rotated at every sign-in. The route's rate limit is
// the login operation's.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if !h.posted(w, r) {
		return
	}
	user, password := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"), "")
	if user == "" || password == "" || len(user) > 64 || len(password) > 256 {
		v := h.newView(w, r, loginData{Next: next, Username: user})
		v.Status, v.Error = http.StatusUnprocessableEntity, "login.missing"
		h.render(w, r, "login", v)
		return
	}
	pr, err := h.api.SignIn(w, r, user, password)
	if errors.Is(err, staff.ErrInvalidCredentials) {
		v := h.newView(w, r, loginData{Next: next, Username: user})
		v.Status, v.Error = http.StatusUnauthorized, "login.error"
		h.render(w, r, "login", v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	home := "/staff"
	switch acc := pr.Account(); {
	case acc.HasRole(staff.RoleClerk):
	case acc.HasRole(staff.RoleAuditor):
		home = "/audit"
	case acc.HasRole(staff.RoleAdmin):
		home = "/admin"
	}
	redirect(w, r, localPath(next, home), "")
}

// logout revokes the session server-side: the old cookie opens nothing.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if !h.posted(w, r) {
		return
	}
	if err := h.api.SignOut(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/login", "flash.signed_out")
}

type deskData struct {
	Offices []OfficeView
}

func (h *Handler) desk(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil {
		h.unavailable(w, r)
		return
	}
	offices, err := h.p.Desk.MyOffices(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "desk", deskData{Offices: offices})
}

func (h *Handler) duty(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	office := r.PathValue("office")
	duty := r.PostFormValue("duty")
	if duty != DutyOn && duty != DutyPause && duty != DutyOff {
		h.errorPage(w, r, http.StatusUnprocessableEntity, "error.invalid")
		return
	}
	if err := h.p.Desk.SetDuty(r.Context(), p, office, duty); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, localPath(r.PostFormValue("back"), "/staff"), "flash.duty_"+duty)
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil {
		h.unavailable(w, r)
		return
	}
	q, err := h.p.Desk.Queue(r.Context(), p, r.PathValue("office"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "queue", q)
}

// queueEvent is what clerk-queue.js receives; Count lets it raise the knock
// alert when the queue grew.
type queueEvent struct {
	Count int    `json:"count"`
	HTML  string `json:"html"`
}

func (h *Handler) liveQueue(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil {
		h.unavailable(w, r)
		return
	}
	ctx := r.Context()
	office := r.PathValue("office")
	updates, err := h.p.Desk.WatchQueue(ctx, p, office)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The current queue before the stream starts: a queue that cannot be
	// read is an error page, not a stream that never says anything.
	cur, err := h.p.Desk.Queue(ctx, p, office)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := h.requestLang(w, r)
	csrf := h.csrfToken(w, r)
	s := startSSE(w, r)
	send := func(q QueueView) bool {
		html, err := h.partial(lang, "queue-table", queuePartial{Queue: q, CSRF: csrf})
		if err != nil {
			h.cfg.Logger.ErrorContext(ctx, "web: queue partial", "err", err.Error())
			return false
		}
		return s.send("queue", q.Version, queueEvent{Count: len(q.Entries), HTML: html}) == nil
	}
	if !send(cur) {
		return
	}
	pump(ctx, s, h.cfg.Heartbeat, updates, send)
}

// queuePartial is the data of the queue-table partial (page and live).
type queuePartial struct {
	Queue QueueView
	CSRF  string
}

func (h *Handler) admit(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	visit, err := h.p.Desk.Admit(r.Context(), p, r.PathValue("office"), r.PostFormValue("visit"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/calls/"+visit, "flash.admitted")
}

func (h *Handler) visitAction(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	ctx := r.Context()
	office, visit := r.PathValue("office"), r.PathValue("visit")
	var err error
	var flash string
	switch r.PathValue("action") {
	case "decline":
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		if reason == "" {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "queue.error.reason_required")
			return
		}
		err, flash = h.p.Desk.Decline(ctx, p, visit, reason, strings.TrimSpace(r.PostFormValue("referral"))), "flash.declined"
	case "message":
		text := strings.TrimSpace(r.PostFormValue("text"))
		if text == "" {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "queue.error.message_required")
			return
		}
		err, flash = h.p.Desk.Message(ctx, p, visit, text), "flash.message_sent"
	case "sendback":
		err, flash = h.p.Desk.SendBack(ctx, p, visit), "flash.sent_back"
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/offices/"+office+"/queue", flash)
}

func (h *Handler) clerkCall(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil || h.p.Cases == nil {
		h.unavailable(w, r)
		return
	}
	c, err := h.p.Desk.JoinCall(r.Context(), p, r.PathValue("visit"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := callData{Call: c, Clerk: true, Back: r.URL.Path, Statuses: CaseStatuses, Outcomes: CaseOutcomes}
	if c.CaseRef != "" {
		cd, err := h.p.Cases.Case(r.Context(), p, c.CaseRef)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Case = &cd
	}
	h.page(w, r, "call", d)
}

type caseListData struct {
	Status   string
	Statuses []string
	Cases    []CaseSummary
}

func (h *Handler) caseList(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Cases == nil {
		h.unavailable(w, r)
		return
	}
	status := r.URL.Query().Get("status")
	if !slices.Contains(CaseStatuses, status) {
		status = ""
	}
	cs, err := h.p.Cases.ListCases(r.Context(), p, status)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "cases", caseListData{Status: status, Statuses: CaseStatuses, Cases: cs})
}

type caseDetailData struct {
	Case               CaseDetail
	Back               string
	Statuses, Outcomes []string
}

func (h *Handler) caseDetail(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Cases == nil {
		h.unavailable(w, r)
		return
	}
	c, err := h.p.Cases.Case(r.Context(), p, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "case", caseDetailData{Case: c, Back: r.URL.Path, Statuses: CaseStatuses, Outcomes: CaseOutcomes})
}

func (h *Handler) caseAction(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Cases == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	ctx := r.Context()
	ref := r.PathValue("ref")
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	var err error
	var flash string
	switch r.PathValue("action") {
	case "note":
		if f("text") == "" {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "case.error.text_required")
			return
		}
		err, flash = h.p.Cases.AddNote(ctx, p, ref, f("request"), f("text"), f("visibility") == "visible"), "flash.note_added"
	case "document":
		if f("what") == "" {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "case.error.text_required")
			return
		}
		err, flash = h.p.Cases.RequestDocument(ctx, p, ref, f("request"), f("what")), "flash.document_requested"
	case "status":
		if !slices.Contains(CaseStatuses, f("status")) {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "error.invalid")
			return
		}
		err, flash = h.p.Cases.ChangeStatus(ctx, p, ref, f("request"), f("status")), "flash.status_changed"
	case "handover":
		err, flash = h.p.Cases.HandOver(ctx, p, ref, f("request"), f("to")), "flash.handed_over"
	case "close":
		if !slices.Contains(CaseOutcomes, f("outcome")) {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "error.invalid")
			return
		}
		err, flash = h.p.Cases.Close(ctx, p, ref, f("request"), f("outcome")), "flash.closed"
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, localPath(r.PostFormValue("back"), "/staff/cases/"+ref), flash)
}

type todayData struct {
	Offices      []OfficeView
	Office       string
	Day          string
	Appointments []AppointmentView
}

func (h *Handler) todayAppointments(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Desk == nil || h.p.Appointments == nil {
		h.unavailable(w, r)
		return
	}
	offices, err := h.p.Desk.MyOffices(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := todayData{Offices: offices, Office: r.URL.Query().Get("office"), Day: r.URL.Query().Get("day")}
	if _, err := time.Parse(time.DateOnly, d.Day); err != nil {
		d.Day = h.cfg.Now().In(h.cfg.Location).Format(time.DateOnly)
	}
	if d.Office == "" && len(offices) > 0 {
		d.Office = offices[0].ID
	}
	if d.Office != "" {
		d.Appointments, err = h.p.Appointments.Today(r.Context(), p, d.Office, d.Day)
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.page(w, r, "today", d)
}

// Auditor.

func (h *Handler) auditFind(w http.ResponseWriter, r *http.Request, p Principal) {
	if ref := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("ref"))); ref != "" {
		if _, err := casefile.ParseReference(ref); err == nil {
			http.Redirect(w, r, "/audit/cases/"+url.PathEscape(ref), http.StatusSeeOther)
			return
		} // not a case reference: show the search again rather than follow it anywhere
	}
	h.page(w, r, "audit", nil)
}

type timelineData struct {
	Timeline TimelineView
	Step     StepView
	Index    int // 0-based
	Prev     int
	Next     int
	Last     int
}

func (h *Handler) timeline(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Audit == nil {
		h.unavailable(w, r)
		return
	}
	tl, err := h.p.Audit.Timeline(r.Context(), p, r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := timelineData{Timeline: tl, Last: len(tl.Steps)}
	if len(tl.Steps) > 0 {
		n, err := strconv.Atoi(r.URL.Query().Get("step"))
		if err != nil || n < 1 || n > len(tl.Steps) {
			n = len(tl.Steps)
		}
		d.Index, d.Step = n-1, tl.Steps[n-1]
		d.Prev, d.Next = max(n-1, 1), min(n+1, len(tl.Steps))
	}
	h.page(w, r, "timeline", d)
}

func (h *Handler) export(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Audit == nil {
		h.unavailable(w, r)
		return
	}
	ref := r.PathValue("ref")
	b, err := h.p.Audit.Export(r.Context(), p, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFileName(ref)+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') {
			return r
		}
		return '_'
	}, s)
}
