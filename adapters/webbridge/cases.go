package webbridge

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

type casesPort struct{ b *bridge }

// Outcomes: the web's names and the domain's.
var outcomesWebToDomain = map[string]casefile.Outcome{
	"resolved":  casefile.OutcomeCompleted,
	"referred":  casefile.OutcomeReferred,
	"withdrawn": casefile.OutcomeWithdrawn,
	"rejected":  casefile.OutcomeRejected,
}

// DocumentDue is how long a citizen has for a requested document.
const DocumentDue = 14 * 24 * time.Hour

// caseByReference finds a case in the case list model.
func (b *bridge) caseByReference(ref string) (readmodel.CaseSummary, error) {
	r, err := casefile.ParseReference(strings.ToUpper(strings.TrimSpace(ref)))
	if err != nil {
		return readmodel.CaseSummary{}, notFound("case")
	}
	for _, c := range b.Models.Cases.List(readmodel.CaseFilter{}) {
		if c.Reference == r {
			return c, nil
		}
	}
	return readmodel.CaseSummary{}, notFound("case")
}

// clerkCase returns a case of an office the clerk serves and the clerk's
// context.
func (b *bridge) clerkCase(ctx context.Context, p web.Principal, ref string) (readmodel.CaseSummary, command.Context, appstaff.Account, error) {
	acc, err := b.account(ctx, p, staff.RoleClerk)
	if err != nil {
		return readmodel.CaseSummary{}, command.Context{}, acc, err
	}
	cs, err := b.caseByReference(ref)
	if err != nil {
		return cs, command.Context{}, acc, err
	}
	clerk := domain.IDFrom[domain.ClerkID](acc.ID.UUID())
	if !slices.Contains(acc.Offices, cs.OfficeID) { // membership only, as the API: a clerk moved off an office loses its cases
		return readmodel.CaseSummary{}, command.Context{}, acc, notFound("case")
	}
	return cs, command.Context{Actor: domain.ClerkActor(clerk)}, acc, nil
}

func (b *bridge) summaryOf(ctx context.Context, cs readmodel.CaseSummary, names map[domain.OfficeID]*officeNames) web.CaseSummary {
	s := web.CaseSummary{Reference: cs.Reference.String(), Status: cs.Status.String(), Opened: cs.OpenedAt, Updated: cs.LastActivityAt}
	n, ok := names[cs.OfficeID]
	if !ok {
		n = &officeNames{services: map[domain.ServiceID]string{}}
		if o, err := b.office(ctx, cs.OfficeID); err == nil {
			n.name = o.Name()
			for _, svc := range o.Services() {
				n.services[svc.ID()] = svc.Name()
			}
		}
		names[cs.OfficeID] = n
	}
	s.OfficeName, s.ServiceName = n.name, n.services[cs.ServiceID]
	return s
}

type officeNames struct {
	name     string
	services map[domain.ServiceID]string
}

func (c casesPort) ListCases(ctx context.Context, p web.Principal, status string) ([]web.CaseSummary, error) {
	b := c.b
	acc, err := b.account(ctx, p, staff.RoleClerk)
	if err != nil {
		return nil, err
	}
	names := map[domain.OfficeID]*officeNames{}
	out := []web.CaseSummary{}
	for _, cs := range b.Models.Cases.List(readmodel.CaseFilter{}) {
		if !slices.Contains(acc.Offices, cs.OfficeID) { // membership only, as the API: a clerk moved off an office loses its cases
			continue
		}
		if status != "" && cs.Status.String() != status {
			continue
		}
		out = append(out, b.summaryOf(ctx, cs, names))
	}
	return out, nil
}

// caseFile is what a case stream holds beyond the case list.
type caseFile struct {
	notes []web.NoteView
	docs  []web.DocumentView
}

func (b *bridge) caseFile(ctx context.Context, id domain.CaseID, authors func(role domain.Role, id string) string) (caseFile, error) {
	evs, err := b.loadEvents(ctx, casefile.StreamName(id), "case")
	if err != nil {
		return caseFile{}, err
	}
	var f caseFile
	docs := map[domain.DocumentRequestID]int{}
	for _, e := range evs {
		switch ev := e.Event.(type) {
		case casefile.CaseNoteAdded:
			n := web.NoteView{At: ev.AddedAt, Text: ev.Text, Visible: ev.Visibility == casefile.VisibleCitizen}
			if authors != nil {
				n.Author = authors(ev.AuthorRole, ev.AuthorID)
			}
			f.notes = append(f.notes, n)
		case casefile.CaseDocumentRequested:
			docs[ev.RequestID] = len(f.docs)
			f.docs = append(f.docs, web.DocumentView{What: ev.What, Requested: ev.RequestedAt})
		case casefile.CaseDocumentReceived:
			if i, ok := docs[ev.RequestID]; ok {
				f.docs[i].Received = true
			}
		}
	}
	return f, nil
}

func (c casesPort) Case(ctx context.Context, p web.Principal, reference string) (web.CaseDetail, error) {
	b := c.b
	cs, _, acc, err := b.clerkCase(ctx, p, reference)
	if err != nil {
		return web.CaseDetail{}, err
	}
	accounts, err := b.Staff.List(ctx)
	if err != nil {
		return web.CaseDetail{}, err
	}
	byID := map[string]appstaff.Account{}
	for _, a := range accounts {
		byID[a.ID.String()] = a
	}
	f, err := b.caseFile(ctx, cs.CaseID, func(role domain.Role, id string) string {
		if a, ok := byID[id]; ok && role == domain.RoleClerk {
			return a.Username
		}
		return role.String()
	})
	if err != nil {
		return web.CaseDetail{}, err
	}
	d := web.CaseDetail{CaseSummary: b.summaryOf(ctx, cs, map[domain.OfficeID]*officeNames{}), Notes: f.notes, Documents: f.docs}
	if !cs.VisitID.IsZero() {
		if det, err := b.visitDetail(ctx, cs.VisitID); err == nil {
			d.CitizenName = det.DisplayName
		}
	}
	for _, a := range accounts {
		if a.ID == acc.ID || a.Disabled || !a.HasRole(staff.RoleClerk) || !slices.Contains(a.Offices, cs.OfficeID) {
			continue
		}
		d.Colleagues = append(d.Colleagues, web.StaffOption{ID: a.ID.String(), Name: a.Username})
	}
	return d, nil
}

func (c casesPort) AddNote(ctx context.Context, p web.Principal, reference, request, text string, visible bool) error {
	b := c.b
	cs, cc, _, err := b.clerkCase(ctx, p, reference)
	if err != nil {
		return err
	}
	req, err := formRequest(request)
	if err != nil {
		return err
	}
	vis := casefile.Internal
	if visible {
		vis = casefile.VisibleCitizen
	}
	// The case page reads notes from the case stream: nothing to wait for.
	_, err = b.App.Commands.AddNote.Handle(ctx, cc, cases.AddNote{CaseID: cs.CaseID, Text: text, Visibility: vis, ClientRequest: req})
	return err
}

func (c casesPort) RequestDocument(ctx context.Context, p web.Principal, reference, request, what string) error {
	b := c.b
	cs, cc, _, err := b.clerkCase(ctx, p, reference)
	if err != nil {
		return err
	}
	req, err := formRequest(request)
	if err != nil {
		return err
	}
	due := hours.BerlinDate(b.Now().Add(DocumentDue))
	_, err = b.App.Commands.RequestDocument.Handle(ctx, cc, cases.RequestDocument{CaseID: cs.CaseID, What: what, DueDate: due, ClientRequest: req})
	return err
}

func (c casesPort) ChangeStatus(ctx context.Context, p web.Principal, reference, request, status string) error {
	if status == casefile.StatusClosed.String() {
		return c.Close(ctx, p, reference, request, "resolved")
	}
	b := c.b
	cs, cc, _, err := b.clerkCase(ctx, p, reference)
	if err != nil {
		return err
	}
	req, err := formRequest(request)
	if err != nil {
		return err
	}
	to, err := casefile.ParseStatus(status)
	if err != nil {
		return err
	}
	saved, err := b.App.Commands.ChangeCaseStatus.Handle(ctx, cc, cases.ChangeStatus{CaseID: cs.CaseID, To: to, ClientRequest: req})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func (c casesPort) HandOver(ctx context.Context, p web.Principal, reference, request, toStaffID string) error {
	b := c.b
	cs, cc, _, err := b.clerkCase(ctx, p, reference)
	if err != nil {
		return err
	}
	req, err := formRequest(request)
	if err != nil {
		return err
	}
	to, err := idOf(domain.ParseID[staff.UserID], toStaffID, "colleague")
	if err != nil {
		return err
	}
	acc, err := b.Staff.Get(ctx, to)
	if err != nil || acc.Disabled || !acc.HasRole(staff.RoleClerk) {
		return notFound("colleague")
	}
	toOffice := cs.OfficeID
	if !slices.Contains(acc.Offices, toOffice) {
		if len(acc.Offices) == 0 {
			return domain.Precondition("colleague_serves_no_office", "the colleague serves no office")
		}
		toOffice = acc.Offices[0]
	}
	saved, err := b.App.Commands.HandOverCase.Handle(ctx, cc, cases.HandOver{CaseID: cs.CaseID, ToOfficeID: toOffice, ToClerkID: domain.IDFrom[domain.ClerkID](acc.ID.UUID()), ClientRequest: req})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

func (c casesPort) Close(ctx context.Context, p web.Principal, reference, request, outcome string) error {
	b := c.b
	cs, cc, _, err := b.clerkCase(ctx, p, reference)
	if err != nil {
		return err
	}
	req, err := formRequest(request)
	if err != nil {
		return err
	}
	o, ok := outcomesWebToDomain[outcome]
	if !ok {
		if o, err = casefile.ParseOutcome(outcome); err != nil {
			return err
		}
	}
	saved, err := b.App.Commands.CloseCase.Handle(ctx, cc, cases.CloseCase{CaseID: cs.CaseID, Outcome: o, ClientRequest: req})
	if err != nil {
		return err
	}
	b.settle(ctx, saved.Position)
	return nil
}

// --- the citizen's case ------------------------------------------------

type citizenCases struct{ b *bridge }

func (c citizenCases) CitizenCase(ctx context.Context, reference, token string) (web.CitizenCaseView, error) {
	b := c.b
	ref, err := casefile.ParseReference(strings.ToUpper(strings.TrimSpace(reference)))
	if err != nil {
		return web.CitizenCaseView{}, notFound("case")
	}
	v, err := b.App.Queries.CitizenCase.Handle(ctx, cases.CitizenCase{Reference: ref, Token: token})
	if err != nil {
		// A wrong token and an unknown reference look alike.
		return web.CitizenCaseView{}, notFound("case")
	}
	out := web.CitizenCaseView{Reference: v.Reference.String(), Status: v.Status.String()}
	for _, n := range v.Notes {
		out.Notes = append(out.Notes, web.NoteView{At: n.AddedAt, Text: n.Text, Visible: true})
	}
	if cs, err := b.caseByReference(reference); err == nil {
		out.Opened = cs.OpenedAt
		if o, ok := b.Models.Doors.Door(cs.OfficeID, b.Now()); ok {
			out.OfficeName = o.Name
		}
		if f, err := b.caseFile(ctx, cs.CaseID, nil); err == nil {
			out.Documents = f.docs
		}
	}
	return out, nil
}

// formRequest parses the request ID a case form carries (zero when the
// form has none): the application stores a step sent twice with it once.
func formRequest(s string) (domain.RequestID, error) {
	if s == "" {
		return domain.RequestID{}, nil
	}
	id, err := domain.ParseID[domain.RequestID](s)
	if err != nil {
		return domain.RequestID{}, domain.Invalid("bad_request_id", "the form's request ID is malformed")
	}
	return id, nil
}
