package web

import (
	"bytes"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

type homeData struct {
	Offices []OfficeView
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	if h.p.Offices == nil {
		h.unavailable(w, r)
		return
	}
	offices, err := h.p.Offices.ListOffices(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "home", homeData{Offices: offices})
}

// doorEvent is what doors.js receives: the office card, rendered server-side
// in the reader's language, and a short text for the live region.
type doorEvent struct {
	OfficeID string `json:"officeId"`
	Door     string `json:"door"`
	HTML     string `json:"html"`
}

func (h *Handler) liveDoors(w http.ResponseWriter, r *http.Request) {
	if h.p.Offices == nil {
		h.unavailable(w, r)
		return
	}
	ctx := r.Context()
	updates, err := h.p.Offices.WatchDoors(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := h.requestLang(w, r)
	s := startSSE(w, r)
	send := func(o OfficeView, version uint64) bool {
		html, err := h.partial(lang, "office-card", o)
		if err != nil {
			h.cfg.Logger.ErrorContext(ctx, "web: door partial", "err", err.Error())
			return false
		}
		return s.send("door", version, doorEvent{OfficeID: o.ID, Door: o.Door, HTML: html}) == nil
	}
	// A snapshot first (without ids): whatever changed between the page
	// load, or a dropped connection, and this subscription is not lost.
	if all, err := h.p.Offices.ListOffices(ctx); err == nil {
		for _, o := range all {
			if !send(o, 0) {
				return
			}
		}
	}
	pump(ctx, s, h.cfg.Heartbeat, updates, func(u DoorUpdate) bool {
		o, err := h.p.Offices.Office(ctx, u.OfficeID)
		if err != nil {
			return true // the office is gone or unreadable: skip this update
		}
		return send(o, u.Version)
	})
}

// partial renders a named template of partials.html in one language.
func (h *Handler) partial(lang, name string, data any) (string, error) {
	var buf bytes.Buffer
	err := h.pages.byLang[lang]["home"].ExecuteTemplate(&buf, name, data)
	return buf.String(), err
}

func (h *Handler) devices(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, "devices", nil)
}

type knockData struct {
	Office OfficeView
	Form   KnockRequest
	Errors map[string]string // field → message key
	Needs  []string
}

func (h *Handler) knockForm(w http.ResponseWriter, r *http.Request) {
	if h.p.Offices == nil || h.p.Visits == nil {
		h.unavailable(w, r)
		return
	}
	o, err := h.p.Offices.Office(r.Context(), r.PathValue("office"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form := KnockRequest{RequestID: formRequestID(""), OfficeID: o.ID, Language: h.requestLang(w, r)}
	// Coming from the appointment confirmation: prefill the code kept in the
	// citizen's own cookie when the appointment is for this office.
	if _, code, ok := readPass(r, apptCookie); ok && h.p.Appointments != nil {
		if a, err := h.p.Appointments.Find(r.Context(), code); err == nil && a.OfficeID == o.ID && a.Status == AppointmentBooked {
			form.AppointmentCode, form.ServiceID = a.Code, a.ServiceID
		}
	}
	h.page(w, r, "knock", knockData{Office: o, Form: form, Needs: AccessibilityNeeds})
}

func (h *Handler) knock(w http.ResponseWriter, r *http.Request) {
	if h.p.Offices == nil || h.p.Visits == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	o, err := h.p.Offices.Office(r.Context(), r.PathValue("office"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form := KnockRequest{
		RequestID:       formRequestID(r.PostFormValue("request")),
		OfficeID:        o.ID,
		ServiceID:       r.PostFormValue("service"),
		DisplayName:     strings.TrimSpace(r.PostFormValue("name")),
		AppointmentCode: strings.TrimSpace(r.PostFormValue("code")),
		Language:        r.PostFormValue("language"),
	}
	for _, n := range r.PostForm["needs"] {
		for _, known := range AccessibilityNeeds {
			if n == known {
				form.Needs = append(form.Needs, n)
			}
		}
	}
	errs := map[string]string{}
	if form.DisplayName == "" {
		errs["name"] = "knock.error.name_required"
	} else if utf8.RuneCountInString(form.DisplayName) > 80 {
		errs["name"] = "knock.error.name_long"
	}
	if !hasService(o, form.ServiceID) {
		errs["service"] = "knock.error.service_required"
	}
	if !validLang(form.Language) {
		form.Language = Languages[0]
	}
	if len(errs) > 0 {
		v := h.newView(w, r, knockData{Office: o, Form: form, Errors: errs, Needs: AccessibilityNeeds})
		v.Status = http.StatusUnprocessableEntity
		v.Error = "form.error.summary"
		h.render(w, r, "knock", v)
		return
	}
	pass, err := h.p.Visits.Knock(r.Context(), form)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setPass(w, visitCookie, pass.VisitID, pass.Token)
	redirect(w, r, "/visit", "flash.knocked")
}

// formRequestID keeps a form's request ID, or issues one: the ID a form
// is rendered with makes submitting it twice one command.
func formRequestID(posted string) string {
	if id, err := uuid.Parse(posted); err == nil {
		return id.String()
	}
	return uuid.NewString()
}

func hasService(o OfficeView, id string) bool {
	for _, s := range o.Services {
		if s.ID == id {
			return true
		}
	}
	return false
}

func (h *Handler) visitPass(r *http.Request) (VisitPass, bool) {
	id, tok, ok := readPass(r, visitCookie)
	return VisitPass{VisitID: id, Token: tok}, ok
}

func (h *Handler) waiting(w http.ResponseWriter, r *http.Request) {
	if h.p.Visits == nil {
		h.unavailable(w, r)
		return
	}
	pass, ok := h.visitPass(r)
	if !ok {
		redirect(w, r, "/", "")
		return
	}
	wv, err := h.p.Visits.Waiting(r.Context(), pass)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "waiting", withMinutes(wv))
}

func withMinutes(wv WaitingView) WaitingView {
	wv.WaitMinutes = int((wv.EstimatedWait + time.Minute - 1) / time.Minute)
	return wv
}

// visitEvent is what waiting.js receives.
type visitEvent struct {
	Status string `json:"status"`
	HTML   string `json:"html"`
}

func (h *Handler) liveVisit(w http.ResponseWriter, r *http.Request) {
	if h.p.Visits == nil {
		h.unavailable(w, r)
		return
	}
	pass, ok := h.visitPass(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound, "error.no_visit")
		return
	}
	ctx := r.Context()
	updates, err := h.p.Visits.WatchWaiting(ctx, pass)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := h.requestLang(w, r)
	s := startSSE(w, r)
	send := func(wv WaitingView) bool {
		html, err := h.partial(lang, "waiting-status", withMinutes(wv))
		if err != nil {
			h.cfg.Logger.ErrorContext(ctx, "web: waiting partial", "err", err.Error())
			return false
		}
		return s.send("visit", wv.Version, visitEvent{Status: wv.Status, HTML: html}) == nil
	}
	if cur, err := h.p.Visits.Waiting(ctx, pass); err == nil && !send(cur) {
		return
	}
	pump(ctx, s, h.cfg.Heartbeat, updates, send)
}

func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request) {
	if h.p.Visits == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	pass, ok := h.visitPass(r)
	if !ok {
		redirect(w, r, "/", "")
		return
	}
	if err := h.p.Visits.Withdraw(r.Context(), pass); err != nil {
		h.fail(w, r, err)
		return
	}
	clearCookie(w, visitCookie, h.cfg.SecureCookies)
	redirect(w, r, "/", "flash.withdrawn")
}

type callData struct {
	Call               CallView
	Clerk              bool
	Case               *CaseDetail
	Back               string
	Statuses, Outcomes []string
}

func (h *Handler) citizenCall(w http.ResponseWriter, r *http.Request) {
	if h.p.Visits == nil {
		h.unavailable(w, r)
		return
	}
	pass, ok := h.visitPass(r)
	if !ok {
		redirect(w, r, "/", "")
		return
	}
	c, err := h.p.Visits.JoinCall(r.Context(), pass)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "call", callData{Call: c})
}

// Citizen's case by reference and token.

type caseFormData struct {
	Reference string
	Invalid   bool
}

func (h *Handler) caseForm(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, "case-find", caseFormData{})
}

func (h *Handler) caseOpen(w http.ResponseWriter, r *http.Request) {
	if h.p.CitizenCases == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	ref := strings.ToUpper(strings.TrimSpace(r.PostFormValue("reference")))
	tok := strings.TrimSpace(r.PostFormValue("token"))
	if _, err := h.p.CitizenCases.CitizenCase(r.Context(), ref, tok); err != nil {
		// Same answer for a wrong reference and a wrong token.
		v := h.newView(w, r, caseFormData{Reference: ref, Invalid: true})
		v.Status = http.StatusUnprocessableEntity
		v.Error = "case.error.not_found"
		h.render(w, r, "case-find", v)
		return
	}
	h.setPass(w, caseCookie, ref, tok)
	redirect(w, r, "/case/view", "")
}

func (h *Handler) caseView(w http.ResponseWriter, r *http.Request) {
	if h.p.CitizenCases == nil {
		h.unavailable(w, r)
		return
	}
	ref, tok, ok := readPass(r, caseCookie)
	if !ok {
		redirect(w, r, "/case", "")
		return
	}
	c, err := h.p.CitizenCases.CitizenCase(r.Context(), ref, tok)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "case-view", c)
}
