package web

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

const apptCookie = "bb_appt"

type apptData struct {
	Offices []OfficeView
	Office  *OfficeView
	Service *ServiceView
	Days    []DayView
	Day     string
	Slots   []SlotView
	Name    string
	Errors  map[string]string
	// RequestID is the booking form's: a second submit books once.
	RequestID string
}

// appointments is the booking wizard: office → service → day → slot, each
// step a GET form, so it works without JavaScript and can be bookmarked.
func (h *Handler) appointments(w http.ResponseWriter, r *http.Request) {
	d, ok := h.apptStep(w, r)
	if ok {
		h.page(w, r, "appointments", d)
	}
}

func (h *Handler) apptStep(w http.ResponseWriter, r *http.Request) (apptData, bool) {
	var d apptData
	if h.p.Offices == nil || h.p.Appointments == nil {
		h.unavailable(w, r)
		return d, false
	}
	ctx := r.Context()
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	offices, err := h.p.Offices.ListOffices(ctx)
	if err != nil {
		h.fail(w, r, err)
		return d, false
	}
	d.Offices = offices
	for i := range offices {
		if offices[i].ID == q.Get("office") {
			d.Office = &offices[i]
		}
	}
	if d.Office == nil {
		return d, true
	}
	for i := range d.Office.Services {
		if d.Office.Services[i].ID == q.Get("service") {
			d.Service = &d.Office.Services[i]
		}
	}
	if d.Service == nil {
		return d, true
	}
	d.Days, err = h.p.Appointments.Days(ctx, d.Office.ID, d.Service.ID, h.cfg.Now(), 14)
	if err != nil {
		h.fail(w, r, err)
		return d, false
	}
	for _, day := range d.Days {
		if day.Date == q.Get("day") {
			d.Day = day.Date
		}
	}
	if d.Day == "" {
		return d, true
	}
	d.Slots, err = h.p.Appointments.Slots(ctx, d.Office.ID, d.Service.ID, d.Day)
	if err != nil {
		h.fail(w, r, err)
		return d, false
	}
	// A fresh ID for every page shown; only a posted form keeps its own. An
	// ID taken from the URL would let a link's author replay the victim's
	// booking and be handed its code.
	d.RequestID = formRequestID("")
	if r.Method == http.MethodPost {
		d.RequestID = formRequestID(r.PostFormValue("request"))
	}
	return d, true
}

func (h *Handler) book(w http.ResponseWriter, r *http.Request) {
	if !h.posted(w, r) {
		return
	}
	d, ok := h.apptStep(w, r)
	if !ok {
		return
	}
	d.Name = strings.TrimSpace(r.PostFormValue("name"))
	slot := r.PostFormValue("slot")
	d.Errors = map[string]string{}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 80 {
		d.Errors["name"] = "knock.error.name_required"
	}
	// A slot no longer offered is the port's to judge: it is the booked
	// one when the form is submitted again (the request ID makes that the
	// same booking), else the port says the slot is full.
	if slot == "" {
		d.Errors["slot"] = "appt.error.slot_required"
	}
	if d.Service == nil || len(d.Errors) > 0 {
		v := h.newView(w, r, d)
		v.Status = http.StatusUnprocessableEntity
		v.Error = "form.error.summary"
		h.render(w, r, "appointments", v)
		return
	}
	a, err := h.p.Appointments.Book(r.Context(), BookRequest{
		RequestID: d.RequestID, OfficeID: d.Office.ID, ServiceID: d.Service.ID, SlotID: slot, DisplayName: d.Name,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setPass(w, apptCookie, "appt", a.Code)
	redirect(w, r, "/appointments/confirmation", "flash.booked")
}

func (h *Handler) manageForm(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, "appt-manage", nil)
}

func (h *Handler) manage(w http.ResponseWriter, r *http.Request) {
	if h.p.Appointments == nil {
		h.unavailable(w, r)
		return
	}
	if !h.posted(w, r) {
		return
	}
	code := strings.ToUpper(strings.TrimSpace(r.PostFormValue("code")))
	if _, err := h.p.Appointments.Find(r.Context(), code); err != nil {
		v := h.newView(w, r, nil)
		v.Status = http.StatusUnprocessableEntity
		v.Error = "appt.error.not_found"
		h.render(w, r, "appt-manage", v)
		return
	}
	h.setPass(w, apptCookie, "appt", code)
	redirect(w, r, "/appointments/confirmation", "")
}

type confirmationData struct {
	Appointment AppointmentView
	Days        []DayView
	Day         string
	Slots       []SlotView
}

func (h *Handler) myAppointment(w http.ResponseWriter, r *http.Request) (AppointmentView, bool) {
	if h.p.Appointments == nil {
		h.unavailable(w, r)
		return AppointmentView{}, false
	}
	_, code, ok := readPass(r, apptCookie)
	if !ok {
		redirect(w, r, "/appointments/manage", "")
		return AppointmentView{}, false
	}
	a, err := h.p.Appointments.Find(r.Context(), code)
	if err != nil {
		h.fail(w, r, err)
		return a, false
	}
	return a, true
}

func (h *Handler) confirmation(w http.ResponseWriter, r *http.Request) {
	a, ok := h.myAppointment(w, r)
	if !ok {
		return
	}
	d := confirmationData{Appointment: a}
	if a.Status == AppointmentBooked {
		var err error
		d.Days, err = h.p.Appointments.Days(r.Context(), a.OfficeID, a.ServiceID, h.cfg.Now(), 14)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if day := r.URL.Query().Get("day"); day != "" {
			for _, x := range d.Days {
				if x.Date == day {
					d.Day = day
				}
			}
			if d.Day != "" {
				d.Slots, err = h.p.Appointments.Slots(r.Context(), a.OfficeID, a.ServiceID, d.Day)
				if err != nil {
					h.fail(w, r, err)
					return
				}
			}
		}
	}
	h.page(w, r, "appt-confirmation", d)
}

func (h *Handler) cancelAppointment(w http.ResponseWriter, r *http.Request) {
	if !h.posted(w, r) {
		return
	}
	a, ok := h.myAppointment(w, r)
	if !ok {
		return
	}
	if err := h.p.Appointments.Cancel(r.Context(), a.Code); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/appointments/confirmation", "flash.cancelled")
}

func (h *Handler) reschedule(w http.ResponseWriter, r *http.Request) {
	if !h.posted(w, r) {
		return
	}
	a, ok := h.myAppointment(w, r)
	if !ok {
		return
	}
	b, err := h.p.Appointments.Reschedule(r.Context(), a.Code, r.PostFormValue("slot"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setPass(w, apptCookie, "appt", b.Code)
	redirect(w, r, "/appointments/confirmation", "flash.rescheduled")
}

// ics serves the appointment as an iCalendar file (RFC 5545).
func (h *Handler) ics(w http.ResponseWriter, r *http.Request) {
	a, ok := h.myAppointment(w, r)
	if !ok {
		return
	}
	lang := h.requestLang(w, r)
	cat := h.pages.cats[lang]
	summary, _ := cat.text("appt.ics.summary", a.ServiceName, a.OfficeName)
	desc, _ := cat.text("appt.ics.description", a.Code)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="termin.ics"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(ICS(a, summary, desc, h.cfg.Now())))
}

// ICS renders one appointment as a VCALENDAR with one VEVENT.
func ICS(a AppointmentView, summary, description string, now time.Time) string {
	const stamp = "20060102T150405Z"
	lines := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//Virtuelles Buergerbuero//Termin//DE",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"BEGIN:VEVENT",
		"UID:" + icsEscape(a.Code) + "@buergerbuero",
		"DTSTAMP:" + now.UTC().Format(stamp),
		"DTSTART:" + a.Start.UTC().Format(stamp),
		"DTEND:" + a.End.UTC().Format(stamp),
		"SUMMARY:" + icsEscape(summary),
		"DESCRIPTION:" + icsEscape(description),
		"END:VEVENT",
		"END:VCALENDAR",
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(icsFold(l))
		b.WriteString("\r\n")
	}
	return b.String()
}

func icsEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`)
	return r.Replace(s)
}

// icsFold folds lines longer than 75 octets without splitting a rune.
func icsFold(l string) string {
	if len(l) <= 75 {
		return l
	}
	var b strings.Builder
	n := 0
	for _, r := range l {
		size := utf8.RuneLen(r)
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	return b.String()
}
