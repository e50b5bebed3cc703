package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// CaseSummary is a case as case lists show it: no notes, documents or names.
type CaseSummary struct {
	CaseID               string     `json:"caseId" format:"uuid" maxLength:"36"`
	Reference            string     `json:"reference" maxLength:"32"`
	OfficeID             string     `json:"officeId" format:"uuid" maxLength:"36"`
	ServiceID            string     `json:"serviceId" format:"uuid" maxLength:"36"`
	ClerkID              string     `json:"clerkId,omitempty" maxLength:"36"`
	VisitID              string     `json:"visitId,omitempty" maxLength:"36"`
	Status               string     `json:"status" enum:"open,in_progress,waiting_for_citizen,waiting_for_office,closed"`
	Outcome              string     `json:"outcome,omitempty" maxLength:"20"`
	OpenedAt             time.Time  `json:"openedAt" maxLength:"40"`
	ClosedAt             *time.Time `json:"closedAt,omitempty" maxLength:"40"`
	OpenDocumentRequests int        `json:"openDocumentRequests" minimum:"0"`
	LastActivityAt       time.Time  `json:"lastActivityAt" maxLength:"40"`
}

func caseSummaryOf(c readmodel.CaseSummary) CaseSummary {
	return CaseSummary{
		CaseID: c.CaseID.String(), Reference: c.Reference.String(), OfficeID: c.OfficeID.String(), ServiceID: c.ServiceID.String(),
		ClerkID: optID(c.ClerkID), VisitID: optID(c.VisitID), Status: c.Status.String(), Outcome: c.Outcome.String(),
		OpenedAt: c.OpenedAt, ClosedAt: optTime(c.ClosedAt), OpenDocumentRequests: c.OpenDocumentRequests, LastActivityAt: c.LastActivityAt,
	}
}

type caseOutput struct{ Body CaseSummary }

type casesOutput struct {
	Body struct {
		Cases []CaseSummary `json:"cases" maxItems:"100000"`
	}
}

type listCasesInput struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36"`
	OpenOnly bool   `query:"openOnly" doc:"Only cases not closed"`
}

type myCasesInput struct {
	OpenOnly bool `query:"openOnly" doc:"Only cases not closed"`
}

// OfficeCasePath names a case of an office (route input).
type OfficeCasePath struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36" doc:"Office ID"`
	CaseID   string `path:"caseId" format:"uuid" maxLength:"36" doc:"Case ID"`
}

type noteInput struct {
	OfficeCasePath
	Body struct {
		Text            string `json:"text" minLength:"1" maxLength:"4000"`
		Visibility      string `json:"visibility" enum:"internal,citizen" doc:"citizen: also shown to the citizen"`
		ClientRequestID string `json:"clientRequestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this step (optional): repeating the request with the same ID stores the step once"`
	}
}

type noteOutput struct {
	Body struct {
		NoteID string      `json:"noteId" format:"uuid" maxLength:"36"`
		Case   CaseSummary `json:"case"`
	}
}

type closeCaseInput struct {
	OfficeCasePath
	Body struct {
		Outcome         string `json:"outcome" enum:"completed,rejected,withdrawn,referred,no_response"`
		Summary         string `json:"summary,omitempty" maxLength:"4000"`
		ClientRequestID string `json:"clientRequestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this step (optional): repeating the request with the same ID stores the step once"`
	}
}

type caseStatusInput struct {
	OfficeCasePath
	Body struct {
		Status          string `json:"status" enum:"open,in_progress,waiting_for_citizen,waiting_for_office"`
		ClientRequestID string `json:"clientRequestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this step (optional): repeating the request with the same ID stores the step once"`
	}
}

type handOverInput struct {
	OfficeCasePath
	Body struct {
		ToOfficeID      string `json:"toOfficeId" format:"uuid" maxLength:"36"`
		ToClerkID       string `json:"toClerkId,omitempty" format:"uuid" maxLength:"36" doc:"A clerk of that office (optional)"`
		ClientRequestID string `json:"clientRequestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this step (optional): repeating the request with the same ID stores the step once"`
	}
}

type followUpInput struct {
	OfficeCasePath
	Body struct {
		OfficeID        string    `json:"officeId,omitempty" format:"uuid" maxLength:"36" doc:"Office of the follow-up (default: the case's)"`
		ServiceID       string    `json:"serviceId" format:"uuid" maxLength:"36"`
		Start           time.Time `json:"start" maxLength:"40" doc:"Proposed slot start"`
		Note            string    `json:"note,omitempty" maxLength:"1000"`
		ClientRequestID string    `json:"clientRequestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this step (optional): repeating the request with the same ID stores the step once"`
	}
}

type requestDocumentInput struct {
	OfficeCasePath
	Body struct {
		What            string `json:"what" minLength:"1" maxLength:"200" doc:"The document the citizen should upload"`
		DueDate         string `json:"dueDate" format:"date" maxLength:"10" doc:"Berlin date by which it is due (today or later)"`
		ClientRequestID string `json:"clientRequestId,omitempty" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this step (optional): repeating the request with the same ID stores the step once"`
	}
}

type documentRequestOutput struct {
	Body struct {
		RequestID string      `json:"requestId" format:"uuid" maxLength:"36" doc:"Upload the document to this request"`
		Case      CaseSummary `json:"case"`
	}
}

func registerCaseRoutes(a *API) {
	clerk := Permission{Audience: Clerk, OfficeParam: "officeId"}
	errs := []int{http.StatusNotFound, http.StatusConflict}
	Register(a, huma.Operation{
		OperationID: "list-cases", Method: http.MethodGet, Path: "/offices/{officeId}/cases",
		Summary: "The cases of an office, most recent first", Tags: []string{"clerk"},
	}, clerk, a.listCases)
	Register(a, huma.Operation{
		OperationID: "list-my-cases", Method: http.MethodGet, Path: "/me/cases",
		Summary: "The cases the calling clerk handles", Tags: []string{"clerk"},
	}, Permission{Audience: Clerk}, a.listMyCases)
	Register(a, huma.Operation{
		OperationID: "get-case", Method: http.MethodGet, Path: "/offices/{officeId}/cases/{caseId}",
		Summary: "A case of the office", Tags: []string{"clerk"}, Errors: []int{http.StatusNotFound},
	}, clerk, a.getCase)
	Register(a, huma.Operation{
		OperationID: "add-case-note", Method: http.MethodPost, Path: "/offices/{officeId}/cases/{caseId}/notes", DefaultStatus: http.StatusCreated,
		Summary: "Add a note to a case", Tags: []string{"clerk"}, Errors: errs,
	}, clerk, a.addCaseNote)
	Register(a, huma.Operation{
		OperationID: "change-case-status", Method: http.MethodPost, Path: "/offices/{officeId}/cases/{caseId}/status",
		Summary: "Change a case's status", Tags: []string{"clerk"}, Errors: errs,
	}, clerk, caseCommand(a, func(in *caseStatusInput) OfficeCasePath { return in.OfficeCasePath }, func(ctx context.Context, c command.Context, id domain.CaseID, in *caseStatusInput) (command.Saved, error) {
		st, err := casefile.ParseStatus(in.Body.Status)
		if err != nil {
			return command.Saved{}, err
		}
		req, err := clientRequest(in.Body.ClientRequestID)
		if err != nil {
			return command.Saved{}, err
		}
		return a.deps.App.Commands.ChangeCaseStatus.Handle(ctx, c, cases.ChangeStatus{CaseID: id, To: st, ClientRequest: req})
	}))
	Register(a, huma.Operation{
		OperationID: "close-case", Method: http.MethodPost, Path: "/offices/{officeId}/cases/{caseId}/close",
		Summary: "Close a case with an outcome", Tags: []string{"clerk"}, Errors: errs,
	}, clerk, caseCommand(a, func(in *closeCaseInput) OfficeCasePath { return in.OfficeCasePath }, func(ctx context.Context, c command.Context, id domain.CaseID, in *closeCaseInput) (command.Saved, error) {
		b := in.Body
		o, err := casefile.ParseOutcome(b.Outcome)
		if err != nil {
			return command.Saved{}, err
		}
		req, err := clientRequest(b.ClientRequestID)
		if err != nil {
			return command.Saved{}, err
		}
		return a.deps.App.Commands.CloseCase.Handle(ctx, c, cases.CloseCase{CaseID: id, Outcome: o, Summary: b.Summary, ClientRequest: req})
	}))
	Register(a, huma.Operation{
		OperationID: "hand-over-case", Method: http.MethodPost, Path: "/offices/{officeId}/cases/{caseId}/hand-over",
		Summary: "Hand a case over to another office or clerk", Description: "Afterwards the case is reached under the new office's path.",
		Tags: []string{"clerk"}, Errors: errs,
	}, clerk, caseCommand(a, func(in *handOverInput) OfficeCasePath { return in.OfficeCasePath }, func(ctx context.Context, c command.Context, id domain.CaseID, in *handOverInput) (command.Saved, error) {
		b := in.Body
		cmd := cases.HandOver{CaseID: id}
		var err error
		if cmd.ClientRequest, err = clientRequest(b.ClientRequestID); err != nil {
			return command.Saved{}, err
		}
		if cmd.ToOfficeID, err = idOf("body.toOfficeId", b.ToOfficeID, domain.ParseID[domain.OfficeID]); err != nil {
			return command.Saved{}, err
		}
		if b.ToClerkID != "" {
			if cmd.ToClerkID, err = idOf("body.toClerkId", b.ToClerkID, domain.ParseID[domain.ClerkID]); err != nil {
				return command.Saved{}, err
			}
		}
		return a.deps.App.Commands.HandOverCase.Handle(ctx, c, cmd)
	}))
	Register(a, huma.Operation{
		OperationID: "propose-follow-up", Method: http.MethodPost, Path: "/offices/{officeId}/cases/{caseId}/follow-ups",
		Summary: "Propose a follow-up appointment to the citizen", Tags: []string{"clerk"}, Errors: errs,
	}, clerk, caseCommand(a, func(in *followUpInput) OfficeCasePath { return in.OfficeCasePath }, func(ctx context.Context, c command.Context, id domain.CaseID, fi *followUpInput) (command.Saved, error) {
		cmd := cases.ProposeFollowUp{CaseID: id, Start: fi.Body.Start, Note: fi.Body.Note}
		var err error
		if cmd.ClientRequest, err = clientRequest(fi.Body.ClientRequestID); err != nil {
			return command.Saved{}, err
		}
		office := fi.Body.OfficeID
		if office == "" {
			office = fi.OfficeID
		}
		if cmd.OfficeID, err = idOf("body.officeId", office, domain.ParseID[domain.OfficeID]); err != nil {
			return command.Saved{}, err
		}
		if cmd.ServiceID, err = idOf("body.serviceId", fi.Body.ServiceID, domain.ParseID[domain.ServiceID]); err != nil {
			return command.Saved{}, err
		}
		return a.deps.App.Commands.ProposeFollowUp.Handle(ctx, c, cmd)
	}))
	Register(a, huma.Operation{
		OperationID: "request-document", Method: http.MethodPost, Path: "/offices/{officeId}/cases/{caseId}/document-requests", DefaultStatus: http.StatusCreated,
		Summary: "Ask the citizen for a document", Tags: []string{"clerk"}, Errors: errs,
	}, clerk, a.requestDocument)
}

// officeCase parses the path and makes sure the case belongs to the office
// of the path (404 otherwise). A case opened a moment ago is waited for
// briefly (read-your-writes after admit-visit).
func (a *API) officeCase(ctx context.Context, in OfficeCasePath) (domain.CaseID, readmodel.CaseSummary, error) {
	_, m, err := a.business()
	if err != nil {
		return domain.CaseID{}, readmodel.CaseSummary{}, err
	}
	office, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return domain.CaseID{}, readmodel.CaseSummary{}, err
	}
	id, err := idOf("path.caseId", in.CaseID, domain.ParseID[domain.CaseID])
	if err != nil {
		return domain.CaseID{}, readmodel.CaseSummary{}, err
	}
	c, ok := m.Cases.Case(id)
	if !ok {
		c, ok = a.awaitCase(ctx, m, id)
	}
	if !ok || c.OfficeID != office {
		return domain.CaseID{}, readmodel.CaseSummary{}, NewProblem(http.StatusNotFound, CodeNotFound, "no such case in this office")
	}
	return id, c, nil
}

func (a *API) awaitCase(ctx context.Context, m *readmodel.Models, id domain.CaseID) (readmodel.CaseSummary, bool) {
	if a.deps.Changes == nil {
		return readmodel.CaseSummary{}, false
	}
	ch, cancel := a.deps.Changes.Subscribe(readside.Filter{CaseID: id})
	defer cancel()
	t := time.NewTimer(a.cfg.ReadYourWrites)
	defer t.Stop()
	for {
		if c, ok := m.Cases.Case(id); ok {
			return c, true
		}
		select {
		case <-ch:
		case <-t.C:
			return readmodel.CaseSummary{}, false
		case <-ctx.Done():
			return readmodel.CaseSummary{}, false
		}
	}
}

// caseCommand builds the handler of a case command: it checks the case
// is the office's, runs the command and answers with the case as the read
// side shows it after the command (read-your-writes, bounded).
func caseCommand[I any](a *API, path func(*I) OfficeCasePath, run func(context.Context, command.Context, domain.CaseID, *I) (command.Saved, error)) func(context.Context, *I) (*caseOutput, error) {
	return func(ctx context.Context, in *I) (*caseOutput, error) {
		id, _, err := a.officeCase(ctx, path(in))
		if err != nil {
			return nil, err
		}
		saved, err := run(ctx, CommandContext(ctx), id, in)
		if err != nil {
			return nil, err
		}
		a.settle(ctx, saved.Position)
		c, _ := a.deps.Models.Cases.Case(id)
		return &caseOutput{Body: caseSummaryOf(c)}, nil
	}
}

// afterCaseChange runs a command whose result carries no position and then
// waits (bounded) for the read side to report a change of the case, so the
// summary in the response includes the command.
func (a *API) afterCaseChange(ctx context.Context, id domain.CaseID, run func() error) (CaseSummary, error) {
	ch, cancel := a.deps.Changes.Subscribe(readside.Filter{CaseID: id})
	defer cancel()
	if err := run(); err != nil {
		return CaseSummary{}, err
	}
	t := time.NewTimer(a.cfg.ReadYourWrites)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-ctx.Done():
	}
	c, _ := a.deps.Models.Cases.Case(id)
	return caseSummaryOf(c), nil
}

func (a *API) listCases(ctx context.Context, in *listCasesInput) (*casesOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	office, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	return casesOf(m.Cases.List(readmodel.CaseFilter{OfficeID: office, OpenOnly: in.OpenOnly})), nil
}

func (a *API) listMyCases(ctx context.Context, in *myCasesInput) (*casesOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	return casesOf(m.Cases.List(readmodel.CaseFilter{ClerkID: clerkOf(ctx), OpenOnly: in.OpenOnly})), nil
}

func casesOf(list []readmodel.CaseSummary) *casesOutput {
	out := &casesOutput{}
	out.Body.Cases = make([]CaseSummary, 0, len(list))
	for _, c := range list {
		out.Body.Cases = append(out.Body.Cases, caseSummaryOf(c))
	}
	return out
}

func (a *API) getCase(ctx context.Context, in *OfficeCasePath) (*caseOutput, error) {
	_, c, err := a.officeCase(ctx, *in)
	if err != nil {
		return nil, err
	}
	return &caseOutput{Body: caseSummaryOf(c)}, nil
}

func (a *API) addCaseNote(ctx context.Context, in *noteInput) (*noteOutput, error) {
	id, _, err := a.officeCase(ctx, in.OfficeCasePath)
	if err != nil {
		return nil, err
	}
	vis, err := casefile.ParseVisibility(in.Body.Visibility)
	if err != nil {
		return nil, err
	}
	req, err := clientRequest(in.Body.ClientRequestID)
	if err != nil {
		return nil, err
	}
	out := &noteOutput{}
	out.Body.Case, err = a.afterCaseChange(ctx, id, func() error {
		note, err := a.deps.App.Commands.AddNote.Handle(ctx, CommandContext(ctx), cases.AddNote{CaseID: id, Text: in.Body.Text, Visibility: vis, ClientRequest: req})
		out.Body.NoteID = note.String()
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (a *API) requestDocument(ctx context.Context, in *requestDocumentInput) (*documentRequestOutput, error) {
	id, _, err := a.officeCase(ctx, in.OfficeCasePath)
	if err != nil {
		return nil, err
	}
	cmd := cases.RequestDocument{CaseID: id, What: in.Body.What}
	if cmd.ClientRequest, err = clientRequest(in.Body.ClientRequestID); err != nil {
		return nil, err
	}
	if cmd.DueDate, err = hours.ParseDate(in.Body.DueDate); err != nil {
		return nil, invalidField("body.dueDate", "must be a date YYYY-MM-DD")
	}
	out := &documentRequestOutput{}
	out.Body.Case, err = a.afterCaseChange(ctx, id, func() error {
		req, err := a.deps.App.Commands.RequestDocument.Handle(ctx, CommandContext(ctx), cmd)
		out.Body.RequestID = req.String()
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// clientRequest parses the optional clientRequestId of a case step (zero
// when absent): the application stores a step retried with it once.
func clientRequest(s string) (domain.RequestID, error) {
	if s == "" {
		return domain.RequestID{}, nil
	}
	return idOf("body.clientRequestId", s, domain.ParseID[domain.RequestID])
}
