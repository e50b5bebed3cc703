package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

type adminData struct {
	Offices []AdminOfficeView
	Days    []string
}

var weekDays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func (h *Handler) adminOffices(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Admin == nil {
		h.unavailable(w, r)
		return
	}
	os, err := h.p.Admin.Offices(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "admin", adminData{Offices: os, Days: weekDays})
}

func (h *Handler) adminCreateOffice(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Admin == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		h.errorPage(w, r, http.StatusUnprocessableEntity, "admin.error.name_required")
		return
	}
	if _, err := h.p.Admin.CreateOffice(r.Context(), p, name, strings.TrimSpace(r.PostFormValue("description"))); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin", "flash.saved")
}

func validClock(s string) bool {
	_, err := time.Parse("15:04", s)
	return err == nil
}

func (h *Handler) adminOfficeAction(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Admin == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	ctx := r.Context()
	office := r.PathValue("office")
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	var err error
	switch r.PathValue("action") {
	case "services":
		minutes, convErr := strconv.Atoi(f("minutes"))
		if f("name") == "" || convErr != nil || minutes < 5 || minutes > 480 {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "error.invalid")
			return
		}
		err = h.p.Admin.AddService(ctx, p, office, f("name"), minutes)
	case "hours":
		var week []HoursLine
		for _, d := range weekDays {
			open, cl := f(d+"_open"), f(d+"_close")
			if open == "" && cl == "" {
				continue
			}
			if !validClock(open) || !validClock(cl) || open >= cl {
				h.errorPage(w, r, http.StatusUnprocessableEntity, "admin.error.hours")
				return
			}
			week = append(week, HoursLine{Day: d, Open: open, Close: cl})
		}
		err = h.p.Admin.SetHours(ctx, p, office, week)
	case "exceptions":
		e := ExceptionView{Date: f("date"), Closed: f("closed") == "yes", Open: f("open"), Close: f("close"), Reason: f("reason")}
		if _, perr := time.Parse(time.DateOnly, e.Date); perr != nil || (!e.Closed && (!validClock(e.Open) || !validClock(e.Close))) {
			h.errorPage(w, r, http.StatusUnprocessableEntity, "admin.error.hours")
			return
		}
		err = h.p.Admin.AddException(ctx, p, office, e)
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin#office-"+office, "flash.saved")
}

type staffData struct {
	Staff   []StaffView
	Offices []AdminOfficeView
	Roles   []string
}

var roles = []string{RoleClerk, RoleAuditor, RoleAdmin}

func (h *Handler) adminStaff(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Admin == nil {
		h.unavailable(w, r)
		return
	}
	st, err := h.p.Admin.Staff(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	os, err := h.p.Admin.Offices(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.page(w, r, "admin-staff", staffData{Staff: st, Offices: os, Roles: roles})
}

func (h *Handler) adminCreateStaff(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Admin == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	s := NewStaff{
		Username: strings.TrimSpace(r.PostFormValue("username")),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Role:     r.PostFormValue("role"),
		Password: r.PostFormValue("password"),
	}
	if s.Username == "" || s.Name == "" || !slices.Contains(roles, s.Role) || len(s.Password) < 12 {
		h.errorPage(w, r, http.StatusUnprocessableEntity, "admin.error.staff")
		return
	}
	if err := h.p.Admin.CreateStaff(r.Context(), p, s); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/staff", "flash.saved")
}

func (h *Handler) adminAssign(w http.ResponseWriter, r *http.Request, p Principal) {
	if h.p.Admin == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	if err := h.p.Admin.AssignOffices(r.Context(), p, r.PathValue("staff"), r.PostForm["offices"]); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/staff", "flash.saved")
}
