// Package webtest is an in-memory implementation of every port of package
// web, seeded with demo data, for tests and demos. It is safe for concurrent
// use. Its change feed (the Watch* methods) delivers a new state whenever a
// command changes one, like the application's projections will.
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// Password of every seeded staff account (users "clerk", "auditor", "admin").
const Password = "demo-passwort-2026"

// Seeded identifiers tests may rely on.
const (
	OfficeResidents = "0ff1ce00-0000-4000-8000-000000000001"
	OfficeVehicles  = "0ff1ce00-0000-4000-8000-000000000002"
	CaseReference   = "DO-2026-000123"
	CaseToken       = "case-token-123"
	AppointmentCode = "T7K2-9QXM"
	// Staff account IDs: the clerk of both offices, a second clerk of the
	// residents' office, the auditor and the admin.
	StaffClerk   = "5ea7f000-0000-4000-8000-000000000001"
	StaffClerk2  = "5ea7f000-0000-4000-8000-000000000002"
	StaffAuditor = "5ea7f000-0000-4000-8000-000000000003"
	StaffAdmin   = "5ea7f000-0000-4000-8000-000000000004"
)

type visit struct {
	pass     web.VisitPass
	req      web.KnockRequest
	status   string
	knocked  time.Time
	messages []web.ClerkMessage
	reason   string
	referral string
	caseRef  string
}

type sub[T any] struct {
	key string
	ch  chan T
}

// Fake holds the state.
type Fake struct {
	mu       sync.Mutex
	now      func() time.Time
	version  uint64
	offices  []*web.AdminOfficeView
	duty     map[string]string // office → duty of the (single) demo clerk
	visits   []*visit
	appts    map[string]*web.AppointmentView
	booked   map[string]string // booking request ID → code
	cases    map[string]*web.CaseDetail
	staff    []*web.StaffView
	nextID   int
	doorSubs []sub[web.DoorUpdate]
	visSubs  []sub[web.WaitingView]
	qSubs    []sub[web.QueueView]
}

// New returns a fake seeded with two offices, three staff accounts, one
// appointment and one case. now is the clock (nil: a fixed Tuesday 10:00
// in Berlin, when both offices are open).
func New(now func() time.Time) *Fake {
	if now == nil {
		loc, _ := time.LoadLocation("Europe/Berlin")
		fixed := time.Date(2026, 11, 24, 10, 0, 0, 0, loc)
		now = func() time.Time { return fixed }
	}
	f := &Fake{now: now, duty: map[string]string{}, appts: map[string]*web.AppointmentView{}, booked: map[string]string{}, cases: map[string]*web.CaseDetail{}}
	week := func(open, cl string) []web.HoursLine {
		var h []web.HoursLine
		for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
			h = append(h, web.HoursLine{Day: d, Open: open, Close: cl})
		}
		return h
	}
	f.offices = []*web.AdminOfficeView{
		{OfficeView: web.OfficeView{
			ID: OfficeResidents, Name: "Bürgeramt", Description: "Personalausweis, Reisepass, Meldebescheinigung",
			Door: web.DoorOpen, Hours: week("08:00", "16:00"),
			Services: []web.ServiceView{{ID: "ausweis", Name: "Personalausweis beantragen", Minutes: 20}, {ID: "meldung", Name: "Wohnsitz anmelden", Minutes: 15}},
		}},
		{OfficeView: web.OfficeView{
			ID: OfficeVehicles, Name: "Kfz-Zulassung", Description: "Fahrzeuge an-, um- und abmelden",
			Door: web.DoorClosed, Hours: week("09:00", "12:00"), NextOpening: now().Add(23 * time.Hour),
			Services: []web.ServiceView{{ID: "zulassung", Name: "Fahrzeug zulassen", Minutes: 30}},
		}, Exceptions: []web.ExceptionView{{Date: "2026-12-24", Closed: true, Reason: "Heiligabend"}}},
	}
	f.duty[OfficeResidents] = web.DutyOn
	f.staff = []*web.StaffView{
		{ID: StaffClerk, Username: "clerk", Name: "Alex Beispiel", Role: web.RoleClerk, Offices: []string{OfficeResidents, OfficeVehicles}},
		{ID: StaffClerk2, Username: "clerk2", Name: "Kim Muster", Role: web.RoleClerk, Offices: []string{OfficeResidents}},
		{ID: StaffAuditor, Username: "auditor", Name: "Pat Prüfer", Role: web.RoleAuditor},
		{ID: StaffAdmin, Username: "admin", Name: "Sam Admin", Role: web.RoleAdmin},
	}
	start := now().Add(24 * time.Hour).Truncate(time.Hour)
	f.appts[AppointmentCode] = &web.AppointmentView{
		Code: AppointmentCode, OfficeID: OfficeResidents, OfficeName: "Bürgeramt", ServiceID: "ausweis",
		ServiceName: "Personalausweis beantragen", Start: start, End: start.Add(20 * time.Minute),
		Status: web.AppointmentBooked, DisplayName: "Robin",
	}
	opened := now().Add(-48 * time.Hour)
	f.cases[CaseReference] = &web.CaseDetail{
		CaseSummary: web.CaseSummary{Reference: CaseReference, OfficeName: "Bürgeramt", ServiceName: "Wohnsitz anmelden", Status: "in_progress", Opened: opened, Updated: opened.Add(time.Hour)},
		CitizenName: "Robin",
		Notes: []web.NoteView{
			{At: opened.Add(10 * time.Minute), Author: "Alex Beispiel", Text: "Mietvertrag liegt vor.", Visible: false},
			{At: opened.Add(20 * time.Minute), Author: "Alex Beispiel", Text: "Bitte reichen Sie die Wohnungsgeberbestätigung nach.", Visible: true},
		},
		Documents:  []web.DocumentView{{What: "Wohnungsgeberbestätigung", Requested: opened.Add(20 * time.Minute)}},
		Colleagues: []web.StaffOption{{ID: StaffClerk2, Name: "Kim Muster"}},
	}
	return f
}

// Ports returns every port backed by this fake.
func (f *Fake) Ports() web.Ports {
	return web.Ports{
		Offices: offices{f}, Visits: visits{f}, Appointments: appointments{f}, CitizenCases: citizenCases{f},
		Desk: desk{f}, Cases: cases{f}, Audit: audit{f}, Admin: admin{f},
	}
}

func notFound(what string) error { return domain.NotFound("not_found", what+" not found") }

// watch registers a subscriber that is removed and closed when ctx ends.
func watch[T any](f *Fake, list *[]sub[T], key string, ctx context.Context) <-chan T {
	s := sub[T]{key: key, ch: make(chan T, 64)}
	f.mu.Lock()
	*list = append(*list, s)
	f.mu.Unlock()
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		*list = slices.DeleteFunc(*list, func(x sub[T]) bool { return x.ch == s.ch })
		close(s.ch)
	}()
	return s.ch
}

func publish[T any](list []sub[T], key string, v T) {
	for _, s := range list {
		if s.key == key || s.key == "" {
			select {
			case s.ch <- v:
			default: // a slow reader gets the next state
			}
		}
	}
}

func (f *Fake) office(id string) (*web.AdminOfficeView, error) {
	for _, o := range f.offices {
		if o.ID == id {
			return o, nil
		}
	}
	return nil, notFound("office")
}

func (f *Fake) waitingIn(officeID string) []*visit {
	var q []*visit
	for _, v := range f.visits {
		if v.req.OfficeID == officeID && v.status == web.VisitWaiting {
			q = append(q, v)
		}
	}
	sort.SliceStable(q, func(i, j int) bool {
		ai, aj := q[i].req.AppointmentCode != "", q[j].req.AppointmentCode != ""
		if ai != aj {
			return ai
		}
		return q[i].knocked.Before(q[j].knocked)
	})
	return q
}

func (f *Fake) officeView(o *web.AdminOfficeView) web.OfficeView {
	v := o.OfficeView
	v.Waiting = len(f.waitingIn(o.ID))
	v.Hours = slices.Clone(o.Hours)
	v.Services = slices.Clone(o.Services)
	return v
}

func (f *Fake) waitingView(v *visit) web.WaitingView {
	o, _ := f.office(v.req.OfficeID)
	wv := web.WaitingView{VisitID: v.pass.VisitID, Status: v.status, Messages: slices.Clone(v.messages),
		DeclineReason: v.reason, Referral: v.referral, Version: f.version}
	if o != nil {
		wv.OfficeName = o.Name
	}
	if v.status == web.VisitWaiting {
		for i, w := range f.waitingIn(v.req.OfficeID) {
			if w == v {
				wv.Position = i + 1
				wv.EstimatedWait = time.Duration(i+1) * 10 * time.Minute
			}
		}
	}
	return wv
}

func (f *Fake) queueView(officeID string) web.QueueView {
	q := web.QueueView{OfficeID: officeID, Duty: f.duty[officeID], Version: f.version}
	if q.Duty == "" {
		q.Duty = web.DutyOff
	}
	if o, err := f.office(officeID); err == nil {
		q.OfficeName = o.Name
		for i, v := range f.waitingIn(officeID) {
			svc := v.req.ServiceID
			for _, s := range o.Services {
				if s.ID == v.req.ServiceID {
					svc = s.Name
				}
			}
			q.Entries = append(q.Entries, web.QueueEntry{
				VisitID: v.pass.VisitID, Position: i + 1, DisplayName: v.req.DisplayName, ServiceName: svc,
				KnockedAt: v.knocked, Appointment: v.req.AppointmentCode != "", Language: v.req.Language, Needs: v.req.Needs,
			})
		}
	}
	return q
}

// changed publishes the new state of an office, its queue and its visits.
// Callers hold f.mu.
func (f *Fake) changed(officeID string) {
	f.version++
	o, err := f.office(officeID)
	if err != nil {
		return
	}
	publish(f.doorSubs, "", web.DoorUpdate{OfficeID: officeID, Door: o.Door, Waiting: len(f.waitingIn(officeID)), Version: f.version})
	publish(f.qSubs, officeID, f.queueView(officeID))
	for _, v := range f.visits {
		if v.req.OfficeID == officeID {
			publish(f.visSubs, v.pass.VisitID, f.waitingView(v))
		}
	}
}

// SetDoor changes an office's door (as a clerk's duty would) and publishes it.
func (f *Fake) SetDoor(officeID, door string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.office(officeID)
	if err != nil {
		return err
	}
	o.Door = door
	f.changed(officeID)
	return nil
}

// Knock adds a waiting visit directly (for tests that need a queue).
func (f *Fake) Knock(r web.KnockRequest) web.VisitPass {
	p, _ := visits{f}.Knock(context.Background(), r)
	return p
}

func (f *Fake) id(prefix string) string {
	f.nextID++
	return fmt.Sprintf("%s-%04d", prefix, f.nextID)
}

type offices struct{ f *Fake }

func (o offices) ListOffices(context.Context) ([]web.OfficeView, error) {
	o.f.mu.Lock()
	defer o.f.mu.Unlock()
	var out []web.OfficeView
	for _, x := range o.f.offices {
		out = append(out, o.f.officeView(x))
	}
	return out, nil
}

func (o offices) Office(_ context.Context, id string) (web.OfficeView, error) {
	o.f.mu.Lock()
	defer o.f.mu.Unlock()
	x, err := o.f.office(id)
	if err != nil {
		return web.OfficeView{}, err
	}
	return o.f.officeView(x), nil
}

func (o offices) WatchDoors(ctx context.Context) (<-chan web.DoorUpdate, error) {
	return watch(o.f, &o.f.doorSubs, "", ctx), nil
}

type visits struct{ f *Fake }

func (v visits) Knock(_ context.Context, r web.KnockRequest) (web.VisitPass, error) {
	f := v.f
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.office(r.OfficeID)
	if err != nil {
		return web.VisitPass{}, err
	}
	if o.Door == web.DoorClosed {
		return web.VisitPass{}, &office.DoorClosedError{State: office.DoorClosed, NextOpening: o.NextOpening}
	}
	for _, x := range f.visits { // a repeated request knocks once
		if r.RequestID != "" && x.req.RequestID == r.RequestID {
			return x.pass, nil
		}
	}
	p := web.VisitPass{VisitID: f.id("visit"), Token: f.id("token")}
	f.visits = append(f.visits, &visit{pass: p, req: r, status: web.VisitWaiting, knocked: f.now()})
	f.changed(r.OfficeID)
	return p, nil
}

func (v visits) find(p web.VisitPass) (*visit, error) {
	for _, x := range v.f.visits {
		if x.pass == p {
			return x, nil
		}
	}
	return nil, notFound("visit")
}

func (v visits) Waiting(_ context.Context, p web.VisitPass) (web.WaitingView, error) {
	v.f.mu.Lock()
	defer v.f.mu.Unlock()
	x, err := v.find(p)
	if err != nil {
		return web.WaitingView{}, err
	}
	return v.f.waitingView(x), nil
}

func (v visits) WatchWaiting(ctx context.Context, p web.VisitPass) (<-chan web.WaitingView, error) {
	v.f.mu.Lock()
	_, err := v.find(p)
	v.f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return watch(v.f, &v.f.visSubs, p.VisitID, ctx), nil
}

func (v visits) Withdraw(_ context.Context, p web.VisitPass) error {
	v.f.mu.Lock()
	defer v.f.mu.Unlock()
	x, err := v.find(p)
	if err != nil {
		return err
	}
	if x.status != web.VisitWaiting {
		return domain.Conflict("not_waiting", "visit is not waiting")
	}
	x.status = web.VisitWithdrawn
	v.f.changed(x.req.OfficeID)
	return nil
}

func (v visits) JoinCall(_ context.Context, p web.VisitPass) (web.CallView, error) {
	v.f.mu.Lock()
	defer v.f.mu.Unlock()
	x, err := v.find(p)
	if err != nil {
		return web.CallView{}, err
	}
	if x.status != web.VisitAdmitted {
		return web.CallView{}, domain.Precondition("not_admitted", "visit is not admitted")
	}
	return web.CallView{VisitID: x.pass.VisitID, WHIPURL: "/api/v1/visits/" + x.pass.VisitID + "/media", Token: "admission-" + x.pass.Token}, nil
}

type citizenCases struct{ f *Fake }

func (c citizenCases) CitizenCase(_ context.Context, ref, token string) (web.CitizenCaseView, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	x, ok := c.f.cases[ref]
	if !ok || token != CaseToken {
		return web.CitizenCaseView{}, notFound("case")
	}
	v := web.CitizenCaseView{Reference: x.Reference, OfficeName: x.OfficeName, Status: x.Status, Opened: x.Opened, Documents: x.Documents}
	for _, n := range x.Notes {
		if n.Visible {
			n.Author = ""
			v.Notes = append(v.Notes, n)
		}
	}
	return v, nil
}

type desk struct{ f *Fake }

func (d desk) MyOffices(_ context.Context, p web.Principal) ([]web.OfficeView, error) {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	var out []web.OfficeView
	for _, o := range d.f.offices {
		if slices.Contains(p.Offices, o.ID) {
			out = append(out, d.f.officeView(o))
		}
	}
	return out, nil
}

func (d desk) allowed(p web.Principal, officeID string) error {
	if !slices.Contains(p.Offices, officeID) {
		return domain.Forbidden("not_assigned", "clerk is not assigned to the office")
	}
	return nil
}

func (d desk) SetDuty(_ context.Context, p web.Principal, officeID, duty string) error {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	if err := d.allowed(p, officeID); err != nil {
		return err
	}
	o, err := d.f.office(officeID)
	if err != nil {
		return err
	}
	d.f.duty[officeID] = duty
	o.Door = map[string]string{web.DutyOn: web.DoorOpen, web.DutyPause: web.DoorPaused, web.DutyOff: web.DoorClosed}[duty]
	d.f.changed(officeID)
	return nil
}

func (d desk) Queue(_ context.Context, p web.Principal, officeID string) (web.QueueView, error) {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	if err := d.allowed(p, officeID); err != nil {
		return web.QueueView{}, err
	}
	return d.f.queueView(officeID), nil
}

func (d desk) WatchQueue(ctx context.Context, p web.Principal, officeID string) (<-chan web.QueueView, error) {
	if err := d.allowed(p, officeID); err != nil {
		return nil, err
	}
	return watch(d.f, &d.f.qSubs, officeID, ctx), nil
}

func (d desk) visit(id string) (*visit, error) {
	for _, v := range d.f.visits {
		if v.pass.VisitID == id {
			return v, nil
		}
	}
	return nil, notFound("visit")
}

func (d desk) Admit(_ context.Context, p web.Principal, officeID, visitID string) (string, error) {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	if err := d.allowed(p, officeID); err != nil {
		return "", err
	}
	q := d.f.waitingIn(officeID)
	var v *visit
	for _, x := range q {
		if visitID == "" || x.pass.VisitID == visitID {
			v = x
			break
		}
	}
	if v == nil {
		for _, x := range d.f.visits {
			if visitID != "" && x.pass.VisitID == visitID && x.status == web.VisitAdmitted {
				return "", domain.Conflict("visit_already_admitted", "the visit has already been admitted")
			}
		}
		return "", domain.Precondition("queue_empty", "nobody is waiting")
	}
	v.status = web.VisitAdmitted
	ref := fmt.Sprintf("DO-2026-%06d", 200+len(d.f.cases))
	opened := d.f.now()
	o, _ := d.f.office(officeID)
	svc := v.req.ServiceID
	for _, s := range o.Services {
		if s.ID == svc {
			svc = s.Name
		}
	}
	d.f.cases[ref] = &web.CaseDetail{
		CaseSummary: web.CaseSummary{Reference: ref, OfficeName: o.Name, ServiceName: svc, Status: "open", Opened: opened, Updated: opened},
		CitizenName: v.req.DisplayName, Colleagues: []web.StaffOption{{ID: StaffClerk2, Name: "Kim Muster"}},
	}
	v.caseRef = ref
	d.f.changed(officeID)
	return v.pass.VisitID, nil
}

func (d desk) Decline(_ context.Context, _ web.Principal, visitID, reason, referral string) error {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	v, err := d.visit(visitID)
	if err != nil {
		return err
	}
	v.status, v.reason, v.referral = web.VisitDeclined, reason, referral
	d.f.changed(v.req.OfficeID)
	return nil
}

func (d desk) Message(_ context.Context, _ web.Principal, visitID, text string) error {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	v, err := d.visit(visitID)
	if err != nil {
		return err
	}
	v.messages = append(v.messages, web.ClerkMessage{At: d.f.now(), Text: text})
	d.f.changed(v.req.OfficeID)
	return nil
}

func (d desk) SendBack(_ context.Context, _ web.Principal, visitID string) error {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	v, err := d.visit(visitID)
	if err != nil {
		return err
	}
	v.status = web.VisitWaiting
	d.f.changed(v.req.OfficeID)
	return nil
}

func (d desk) JoinCall(_ context.Context, p web.Principal, visitID string) (web.CallView, error) {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	v, err := d.visit(visitID)
	if err != nil {
		return web.CallView{}, err
	}
	return web.CallView{VisitID: visitID, WHIPURL: "/api/v1/visits/" + visitID + "/media", Token: "clerk-" + p.ID, CaseRef: v.caseRef}, nil
}

type cases struct{ f *Fake }

func (c cases) ListCases(_ context.Context, _ web.Principal, status string) ([]web.CaseSummary, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	var out []web.CaseSummary
	for _, x := range c.f.cases {
		if status == "" || x.Status == status {
			out = append(out, x.CaseSummary)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reference < out[j].Reference })
	return out, nil
}

func (c cases) Case(_ context.Context, _ web.Principal, ref string) (web.CaseDetail, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	x, ok := c.f.cases[ref]
	if !ok {
		return web.CaseDetail{}, notFound("case")
	}
	return *x, nil
}

func (c cases) update(ref string, fn func(*web.CaseDetail)) error {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	x, ok := c.f.cases[ref]
	if !ok {
		return notFound("case")
	}
	fn(x)
	x.Updated = c.f.now()
	return nil
}

func (c cases) AddNote(_ context.Context, p web.Principal, ref, _, text string, visible bool) error {
	return c.update(ref, func(x *web.CaseDetail) {
		x.Notes = append(x.Notes, web.NoteView{At: c.f.now(), Author: p.Name, Text: text, Visible: visible})
	})
}

func (c cases) RequestDocument(_ context.Context, _ web.Principal, ref, _, what string) error {
	return c.update(ref, func(x *web.CaseDetail) {
		x.Documents = append(x.Documents, web.DocumentView{What: what, Requested: c.f.now()})
	})
}

func (c cases) ChangeStatus(_ context.Context, _ web.Principal, ref, _, status string) error {
	return c.update(ref, func(x *web.CaseDetail) { x.Status = status })
}

func (c cases) HandOver(_ context.Context, _ web.Principal, ref, _, _ string) error {
	return c.update(ref, func(*web.CaseDetail) {})
}

func (c cases) Close(_ context.Context, _ web.Principal, ref, _, _ string) error {
	return c.update(ref, func(x *web.CaseDetail) { x.Status = "closed" })
}

type audit struct{ f *Fake }

func (a audit) Timeline(_ context.Context, _ web.Principal, ref string) (web.TimelineView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	x, ok := a.f.cases[ref]
	if !ok {
		return web.TimelineView{}, notFound("case")
	}
	t := x.Opened
	steps := []web.StepView{
		{Type: "CaseOpened", Actor: "clerk s-clerk", Summary: "Vorgang eröffnet", At: t,
			State: []web.Field{{Name: "status", Value: "open"}, {Name: "notes", Value: "0"}}},
		{Type: "CaseNoteAdded", Actor: "clerk s-clerk", Summary: "Interne Notiz", At: t.Add(10 * time.Minute),
			State: []web.Field{{Name: "status", Value: "open"}, {Name: "notes", Value: "1"}}},
		{Type: "CaseDocumentRequested", Actor: "clerk s-clerk", Summary: "Dokument angefordert", At: t.Add(20 * time.Minute),
			State: []web.Field{{Name: "status", Value: "open"}, {Name: "notes", Value: "2"}, {Name: "documents", Value: "1"}}},
		{Type: "CaseStatusChanged", Actor: "clerk s-clerk", Summary: "Status: in_progress", At: t.Add(time.Hour),
			State: []web.Field{{Name: "status", Value: "in_progress"}, {Name: "notes", Value: "2"}, {Name: "documents", Value: "1"}}},
	}
	for i := range steps {
		steps[i].Number = i + 1
	}
	return web.TimelineView{Reference: ref, Steps: steps, Integrity: web.IntegrityView{Verified: true, Head: "9f2c5e0d4b7a1c3e"}}, nil
}

func (a audit) Export(ctx context.Context, p web.Principal, ref string) ([]byte, error) {
	tl, err := a.Timeline(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(tl, "", "  ")
}

type admin struct{ f *Fake }

func (a admin) Offices(context.Context, web.Principal) ([]web.AdminOfficeView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	var out []web.AdminOfficeView
	for _, o := range a.f.offices {
		out = append(out, *o)
	}
	return out, nil
}

func (a admin) CreateOffice(_ context.Context, _ web.Principal, name, desc string) (string, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	id := uuid.NewString()
	a.f.offices = append(a.f.offices, &web.AdminOfficeView{OfficeView: web.OfficeView{ID: id, Name: name, Description: desc, Door: web.DoorClosed}})
	return id, nil
}

func (a admin) edit(officeID string, fn func(*web.AdminOfficeView)) error {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	o, err := a.f.office(officeID)
	if err != nil {
		return err
	}
	fn(o)
	a.f.changed(officeID)
	return nil
}

func (a admin) AddService(_ context.Context, _ web.Principal, officeID, name string, minutes int) error {
	return a.edit(officeID, func(o *web.AdminOfficeView) {
		o.Services = append(o.Services, web.ServiceView{ID: fmt.Sprintf("svc-%d", len(o.Services)+1), Name: name, Minutes: minutes})
	})
}

func (a admin) SetHours(_ context.Context, _ web.Principal, officeID string, week []web.HoursLine) error {
	return a.edit(officeID, func(o *web.AdminOfficeView) { o.Hours = week })
}

func (a admin) AddException(_ context.Context, _ web.Principal, officeID string, e web.ExceptionView) error {
	return a.edit(officeID, func(o *web.AdminOfficeView) { o.Exceptions = append(o.Exceptions, e) })
}

func (a admin) Staff(context.Context, web.Principal) ([]web.StaffView, error) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	var out []web.StaffView
	for _, s := range a.f.staff {
		out = append(out, *s)
	}
	return out, nil
}

func (a admin) CreateStaff(_ context.Context, _ web.Principal, s web.NewStaff) error {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.f.staff = append(a.f.staff, &web.StaffView{ID: uuid.NewString(), Username: s.Username, Name: s.Name, Role: s.Role})
	return nil
}

func (a admin) AssignOffices(_ context.Context, _ web.Principal, staffID string, officeIDs []string) error {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	for _, s := range a.f.staff {
		if s.ID == staffID {
			s.Offices = slices.Clone(officeIDs)
			return nil
		}
	}
	return notFound("staff")
}

// Now is the fake's clock; give it to web.Config.Now so that the pages and
// the fake agree on the date (tests name fixed days such as 2026-11-25).
func (f *Fake) Now() time.Time { return f.now() }
