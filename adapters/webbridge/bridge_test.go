package webbridge_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/webbridge"
	appcases "github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

func TestNewReportsEveryMissingDependency(t *testing.T) {
	_, err := webbridge.New(webbridge.Deps{})
	if err == nil {
		t.Fatal("New accepted empty deps")
	}
	for _, name := range []string{"App", "Models", "Notifier", "Staff", "Store", "Progress", "Codes"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

// TestVisitThroughTheDoor walks one visit through every port a citizen and a
// clerk use, live views included, and replays its case as an auditor.
func TestVisitThroughTheDoor(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	office := s.offices[0]
	oid, svc := office.OfficeID.String(), office.Services[0]

	list, err := s.ports.Offices.ListOffices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(s.offices) {
		t.Fatalf("ListOffices: %d offices, want %d", len(list), len(s.offices))
	}
	ov, err := s.ports.Offices.Office(ctx, oid)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Name != office.Name || ov.Door != web.DoorClosed || len(ov.Services) != len(office.Services) || len(ov.Hours) == 0 {
		t.Fatalf("Office before duty: %+v", ov)
	}
	if ov.Services[0].Name != svc.Name || ov.Hours[0] != (web.HoursLine{Day: "mon", Open: "08:00", Close: "12:00"}) {
		t.Fatalf("services or hours: %+v %+v", ov.Services[0], ov.Hours[0])
	}
	if _, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: svc.ID.String(), DisplayName: "Ada"}); err == nil {
		t.Fatal("knocking on a closed door worked")
	}

	clerk := s.account(t, "clerk", staff.RoleClerk, office.OfficeID)
	stranger := s.account(t, "stranger", staff.RoleClerk, s.offices[1].OfficeID)
	if clerk.Role != web.RoleClerk || !slices.Contains(clerk.Offices, oid) {
		t.Fatalf("principal: %+v", clerk)
	}
	doors, err := s.ports.Offices.WatchDoors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyOn); err != nil {
		t.Fatal(err)
	}
	recv(t, doors, "door update", func(u web.DoorUpdate) bool { return u.OfficeID == oid && u.Door == web.DoorOpen })
	if ov, _ = s.ports.Offices.Office(ctx, oid); ov.Door != web.DoorOpen {
		t.Fatalf("door after duty on: %s", ov.Door)
	}
	if _, err := s.ports.Desk.Queue(ctx, stranger, oid); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a clerk of another office read the queue: %v", err)
	}

	queue, err := s.ports.Desk.WatchQueue(t.Context(), clerk, oid)
	if err != nil {
		t.Fatal(err)
	}
	pass, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: svc.ID.String(), DisplayName: "Ada", Language: "en", Needs: []string{"sign_language", "easy_language"}})
	if err != nil {
		t.Fatal(err)
	}
	live := recv(t, queue, "queue with the knock", func(q web.QueueView) bool { return len(q.Entries) == 1 })
	e := live.Entries[0]
	if e.VisitID != pass.VisitID || e.DisplayName != "Ada" || e.ServiceName != svc.Name || e.Language != "en" ||
		!slices.Equal(e.Needs, []string{"sign_language", "easy_language"}) || live.Duty != web.DutyOn {
		t.Fatalf("queue entry: %+v (duty %s)", e, live.Duty)
	}
	w, err := s.ports.Visits.Waiting(ctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != web.VisitWaiting || w.Position != 1 || w.OfficeName != office.Name {
		t.Fatalf("waiting: %+v", w)
	}
	if _, err := s.ports.Visits.Waiting(ctx, web.VisitPass{VisitID: pass.VisitID, Token: "forged"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a forged pass saw the visit: %v", err)
	}

	wctx, stopWatching := context.WithCancel(ctx)
	waiting, err := s.ports.Visits.WatchWaiting(wctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Desk.Message(ctx, clerk, pass.VisitID, "Gleich sind Sie dran."); err != nil {
		t.Fatal(err)
	}
	recv(t, waiting, "message", func(w web.WaitingView) bool {
		return len(w.Messages) == 1 && w.Messages[0].Text == "Gleich sind Sie dran."
	})
	if err := s.ports.Desk.Message(ctx, stranger, pass.VisitID, "nope"); err == nil {
		t.Fatal("a clerk of another office messaged the visit")
	}

	visitID, err := s.ports.Desk.Admit(ctx, clerk, oid, "")
	if err != nil {
		t.Fatal(err)
	}
	if visitID != pass.VisitID {
		t.Fatalf("admitted %s, want %s", visitID, pass.VisitID)
	}
	recv(t, waiting, "admission", func(w web.WaitingView) bool { return w.Status == web.VisitAdmitted })
	stopWatching()
	call, err := s.ports.Visits.JoinCall(ctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	if call.WHIPURL != "/api/v1/visits/"+pass.VisitID+"/call/participants" || call.CaseRef == "" {
		t.Fatalf("citizen call view: %+v", call)
	}
	ccall, err := s.ports.Desk.JoinCall(ctx, clerk, pass.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	if ccall.CaseRef != call.CaseRef || ccall.WHIPURL != call.WHIPURL {
		t.Fatalf("clerk call view %+v, citizen's %+v", ccall, call)
	}

	ref := call.CaseRef
	cases, err := s.ports.Cases.ListCases(ctx, clerk, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 || cases[0].Reference != ref || cases[0].OfficeName != office.Name || cases[0].ServiceName != svc.Name {
		t.Fatalf("case list: %+v", cases)
	}
	if err := s.ports.Cases.AddNote(ctx, clerk, ref, "", "Ausweis geprüft", false); err != nil {
		t.Fatal(err)
	}
	// The same form sent twice (its answer lost) is one note.
	form := uuid.NewString()
	for range 2 {
		if err := s.ports.Cases.AddNote(ctx, clerk, ref, form, "Bitte Foto nachreichen", true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ports.Cases.RequestDocument(ctx, clerk, ref, uuid.NewString(), "Passfoto"); err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Cases.ChangeStatus(ctx, clerk, ref, uuid.NewString(), "waiting_for_citizen"); err != nil {
		t.Fatal(err)
	}
	d, err := s.ports.Cases.Case(ctx, clerk, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.CitizenName != "Ada" || len(d.Notes) != 2 || d.Notes[0].Author != "clerk" || d.Notes[0].Visible || !d.Notes[1].Visible ||
		len(d.Documents) != 1 || d.Documents[0].What != "Passfoto" || d.Status != "waiting_for_citizen" {
		t.Fatalf("case detail: %+v", d)
	}
	if _, err := s.ports.Cases.Case(ctx, stranger, ref); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a clerk of another office read the case: %v", err)
	}

	// The citizen sees the visible note only, with the case token the
	// admission gave them.
	var caseID domain.CaseID
	for _, c := range s.models.Cases.List(readmodel.CaseFilter{}) {
		if c.Reference.String() == ref {
			caseID = c.CaseID
		}
	}
	cv, err := s.ports.CitizenCases.CitizenCase(ctx, strings.ToLower(ref), appcases.Token(s.app.Tokens, caseID))
	if err != nil {
		t.Fatal(err)
	}
	if cv.OfficeName != office.Name || len(cv.Notes) != 1 || cv.Notes[0].Text != "Bitte Foto nachreichen" || cv.Notes[0].Author != "" ||
		len(cv.Documents) != 1 || cv.Opened.IsZero() {
		t.Fatalf("citizen's case: %+v", cv)
	}

	// Handing over to a colleague of the office.
	colleague := s.account(t, "colleague", staff.RoleClerk, office.OfficeID)
	if d, _ = s.ports.Cases.Case(ctx, clerk, ref); len(d.Colleagues) != 1 || d.Colleagues[0].ID != colleague.ID {
		t.Fatalf("colleagues: %+v", d.Colleagues)
	}
	if err := s.ports.Cases.HandOver(ctx, clerk, ref, "", colleague.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.models.Cases.Case(caseID); got.ClerkID.String() != colleague.ID {
		t.Fatalf("case clerk after handover: %s, want %s", got.ClerkID, colleague.ID)
	}
	if err := s.ports.Cases.Close(ctx, clerk, ref, "", "resolved"); err != nil {
		t.Fatal(err)
	}
	if closed, _ := s.ports.Cases.ListCases(ctx, clerk, "closed"); len(closed) != 1 {
		t.Fatalf("closed cases: %+v", closed)
	}

	auditor := s.account(t, "auditor", staff.RoleAuditor)
	if auditor.Role != web.RoleAuditor {
		t.Fatalf("auditor principal: %+v", auditor)
	}
	if _, err := s.ports.Audit.Timeline(ctx, clerk, ref); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a clerk replayed a case: %v", err)
	}
	tl, err := s.ports.Audit.Timeline(ctx, auditor, ref)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, st := range tl.Steps {
		types = append(types, st.Type)
		if strings.Contains(st.Summary, "Ausweis") || strings.Contains(st.Actor, "clerk ") && strings.Contains(st.Actor, "Ada") {
			t.Errorf("step %d leaks free text: %+v", st.Number, st)
		}
	}
	for _, want := range []string{"CaseOpened", "CaseNoteAdded", "CaseDocumentRequested", "CaseStatusChanged", "CaseClosed"} {
		if !slices.Contains(types, want) {
			t.Errorf("timeline misses %s: %v", want, types)
		}
	}
	if !tl.Integrity.Verified || tl.Integrity.Head == "" || tl.Steps[len(tl.Steps)-1].State[1].Value != "closed" {
		t.Fatalf("integrity %+v, last state %+v", tl.Integrity, tl.Steps[len(tl.Steps)-1].State)
	}
	export, err := s.ports.Audit.Export(ctx, auditor, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(export) || !strings.Contains(string(export), "CaseClosed") {
		t.Fatalf("export: %.200s", export)
	}

	if _, err := s.ports.CitizenCases.CitizenCase(ctx, ref, "forged"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a forged case token: %v", err)
	}
}

func TestAppointmentBookedAndKnockedWithItsCode(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	office := s.offices[0]
	oid, sid := office.OfficeID.String(), office.Services[0].ID.String()

	days, err := s.ports.Appointments.Days(ctx, oid, sid, s.clock(), 14)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) == 0 || days[0].Date != "2026-03-02" || days[0].FreeSlots == 0 {
		t.Fatalf("days: %+v", days)
	}
	slots, err := s.ports.Appointments.Slots(ctx, oid, sid, "2026-03-02")
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) < 2 || !slots[0].Start.After(s.clock()) {
		t.Fatalf("slots: %+v", slots)
	}
	ap, err := s.ports.Appointments.Book(ctx, web.BookRequest{OfficeID: oid, ServiceID: sid, SlotID: slots[0].ID, DisplayName: "Grace"})
	if err != nil {
		t.Fatal(err)
	}
	if ap.Code == "" || !ap.Start.Equal(slots[0].Start) || ap.Status != web.AppointmentBooked || ap.OfficeName != office.Name || ap.DisplayName != "Grace" {
		t.Fatalf("booked: %+v", ap)
	}
	found, err := s.ports.Appointments.Find(ctx, strings.ToLower(ap.Code))
	if err != nil || found.Code != ap.Code {
		t.Fatalf("find by code: %+v %v", found, err)
	}
	if _, err := s.ports.Appointments.Find(ctx, "AAAA-BBBBBB"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
	moved, err := s.ports.Appointments.Reschedule(ctx, ap.Code, slots[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Start.Equal(slots[1].Start) {
		t.Fatalf("rescheduled to %v, want %v", moved.Start, slots[1].Start)
	}

	clerk := s.account(t, "clerk", staff.RoleClerk, office.OfficeID)
	today, err := s.ports.Appointments.Today(ctx, clerk, oid, "2026-03-02")
	if err != nil {
		t.Fatal(err)
	}
	if len(today) != 1 || today[0].Code != ap.Code {
		t.Fatalf("today: %+v", today)
	}
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyOn); err != nil {
		t.Fatal(err)
	}
	s.setNow(moved.Start.Add(-5 * time.Minute)) // within the check-in window
	walkIn, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "Walk-in"})
	if err != nil {
		t.Fatal(err)
	}
	pass, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "Grace", AppointmentCode: ap.Code})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.ports.Desk.Queue(ctx, clerk, oid)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Entries) != 2 || q.Entries[0].VisitID != pass.VisitID || !q.Entries[0].Appointment || q.Entries[1].VisitID != walkIn.VisitID {
		t.Fatalf("queue: %+v", q.Entries)
	}
	if _, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "X", AppointmentCode: "AAAA-BBBBBB"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("knock with an unknown code: %v", err)
	}

	other, err := s.ports.Appointments.Book(ctx, web.BookRequest{OfficeID: oid, ServiceID: sid, SlotID: slots[len(slots)-1].ID, DisplayName: "Linus"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Appointments.Cancel(ctx, other.Code); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.ports.Appointments.Find(ctx, other.Code); c.Status != web.AppointmentCancelled {
		t.Fatalf("cancelled appointment: %+v", c)
	}
}

func TestDeclineWithReferralWithdrawAndDuty(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	office, target := s.offices[0], s.offices[1]
	oid, sid := office.OfficeID.String(), office.Services[0].ID.String()
	clerk := s.account(t, "clerk", staff.RoleClerk, office.OfficeID)
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyOn); err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyPause); err != nil {
		t.Fatal(err)
	}
	if q, _ := s.ports.Desk.Queue(ctx, clerk, oid); q.Duty != web.DutyPause {
		t.Fatalf("duty after pause: %q", q.Duty)
	}
	if o, _ := s.ports.Offices.Office(ctx, oid); o.Door != web.DoorPaused {
		t.Fatalf("door while paused: %q", o.Door)
	}
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyOn); err != nil { // resumes
		t.Fatal(err)
	}
	if q, _ := s.ports.Desk.Queue(ctx, clerk, oid); q.Duty != web.DutyOn {
		t.Fatalf("duty after resume: %q", q.Duty)
	}

	// A referral needs the other office's door open.
	other := s.account(t, "other", staff.RoleClerk, target.OfficeID)
	if err := s.ports.Desk.SetDuty(ctx, other, target.OfficeID.String(), web.DutyOn); err != nil {
		t.Fatal(err)
	}
	referred, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Desk.Decline(ctx, clerk, referred.VisitID, "Dafür ist die Ausländerbehörde zuständig.", target.Name); err != nil {
		t.Fatal(err)
	}
	w, err := s.ports.Visits.Waiting(ctx, referred)
	if err != nil {
		t.Fatal(err)
	}
	if w.Referral != target.Name {
		t.Fatalf("referred visit: %+v", w)
	}
	if q, _ := s.ports.Desk.Queue(ctx, other, target.OfficeID.String()); len(q.Entries) != 1 || q.Entries[0].VisitID != referred.VisitID {
		t.Fatalf("queue of the office referred to: %+v", q.Entries)
	}
	declined, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Desk.Decline(ctx, clerk, declined.VisitID, "Heute nicht möglich.", "Rathaus, Zimmer 3"); err != nil {
		t.Fatal(err)
	}
	if w, _ = s.ports.Visits.Waiting(ctx, declined); w.Status != web.VisitDeclined || !strings.Contains(w.DeclineReason, "Zimmer 3") {
		t.Fatalf("declined visit: %+v", w)
	}
	left, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "Eve"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Visits.Withdraw(ctx, left); err != nil {
		t.Fatal(err)
	}
	if w, _ = s.ports.Visits.Waiting(ctx, left); w.Status != web.VisitWithdrawn {
		t.Fatalf("withdrawn visit: %+v", w)
	}
	if q, _ := s.ports.Desk.Queue(ctx, clerk, oid); len(q.Entries) != 0 {
		t.Fatalf("queue after decline and withdraw: %+v", q.Entries)
	}
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyOff); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.ports.Offices.Office(ctx, oid); o.Door != web.DoorClosed {
		t.Fatalf("door after duty off: %q", o.Door)
	}
}

func TestAdministration(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	adm := s.account(t, "admin", staff.RoleAdmin)
	clerk := s.account(t, "clerk", staff.RoleClerk, s.offices[0].OfficeID)
	if _, err := s.ports.Admin.Offices(ctx, clerk); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a clerk administered: %v", err)
	}
	id, err := s.ports.Admin.CreateOffice(ctx, adm, "Fundbüro", "Verloren und gefunden")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Admin.AddService(ctx, adm, id, "Fundsache abholen", 15); err != nil {
		t.Fatal(err)
	}
	week := []web.HoursLine{{Day: "mon", Open: "08:00", Close: "12:00"}, {Day: "mon", Open: "13:00", Close: "15:00"}, {Day: "fri", Open: "09:00", Close: "11:00"}}
	if err := s.ports.Admin.SetHours(ctx, adm, id, week); err != nil {
		t.Fatal(err)
	}
	if err := s.ports.Admin.AddException(ctx, adm, id, web.ExceptionView{Date: "2026-12-24", Closed: true, Reason: "Heiligabend"}); err != nil {
		t.Fatal(err)
	}
	all, err := s.ports.Admin.Offices(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(o web.AdminOfficeView) bool { return o.ID == id })
	if i < 0 {
		t.Fatalf("new office missing: %+v", all)
	}
	o := all[i]
	if o.Name != "Fundbüro" || len(o.Services) != 1 || o.Services[0].Minutes != 15 || !slices.Equal(o.Hours, week) ||
		len(o.Exceptions) != 1 || !o.Exceptions[0].Closed || o.Exceptions[0].Reason != "Heiligabend" {
		t.Fatalf("office: %+v", o)
	}

	if err := s.ports.Admin.CreateStaff(ctx, adm, web.NewStaff{Username: "kim", Name: "Kim Muster", Role: web.RoleClerk, Password: password}); err != nil {
		t.Fatal(err)
	}
	list, err := s.ports.Admin.Staff(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(list, func(v web.StaffView) bool { return v.Username == "kim" })
	if k < 0 || list[k].Role != web.RoleClerk {
		t.Fatalf("staff: %+v", list)
	}
	if err := s.ports.Admin.AssignOffices(ctx, adm, list[k].ID, []string{id}); err != nil {
		t.Fatal(err)
	}
	p := s.signIn(t, "kim")
	mine, err := s.ports.Desk.MyOffices(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].ID != id {
		t.Fatalf("kim's offices: %+v", mine)
	}
}

// TestSlowLiveReaderEndsWithTheNewestState: a reader that does not keep up
// loses intermediate states, never the last one.
func TestSlowLiveReaderEndsWithTheNewestState(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	office := s.offices[0]
	oid, sid := office.OfficeID.String(), office.Services[0].ID.String()
	clerk := s.account(t, "clerk", staff.RoleClerk, office.OfficeID)
	if err := s.ports.Desk.SetDuty(ctx, clerk, oid, web.DutyOn); err != nil {
		t.Fatal(err)
	}
	queue, err := s.ports.Desk.WatchQueue(t.Context(), clerk, oid)
	if err != nil {
		t.Fatal(err)
	}
	const n = 12 // more changes than the channel buffers
	for i := range n {
		if _, err := s.ports.Visits.Knock(ctx, web.KnockRequest{OfficeID: oid, ServiceID: sid, DisplayName: "Citizen " + string(rune('A'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	var last web.QueueView
	for {
		select {
		case q := <-queue:
			last = q
			continue
		case <-time.After(time.Second):
		}
		break
	}
	if len(last.Entries) != n {
		t.Fatalf("last state has %d entries, want %d", len(last.Entries), n)
	}
}
