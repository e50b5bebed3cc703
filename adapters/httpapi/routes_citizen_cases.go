package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/domain"
)

type citizenCasePath struct {
	CaseID string `path:"caseId" format:"uuid" maxLength:"36" doc:"Case ID"`
}

// CitizenNote is a note the clerk made visible to the citizen.
type CitizenNote struct {
	Text    string    `json:"text" maxLength:"4000"`
	AddedAt time.Time `json:"addedAt" maxLength:"40"`
}

// CitizenCase is a case as its citizen sees it: no internal notes, no staff.
type CitizenCase struct {
	Reference string        `json:"reference" maxLength:"32"`
	Status    string        `json:"status" maxLength:"32"`
	Notes     []CitizenNote `json:"notes" maxItems:"10000"`
}

type citizenCaseOutput struct{ Body CitizenCase }

func registerCitizenCaseRoutes(a *API) {
	Register(a, huma.Operation{
		OperationID: "get-citizen-case", Method: http.MethodGet, Path: "/cases/{caseId}",
		Summary: "The citizen's view of their case", Errors: []int{http.StatusNotFound},
	}, Permission{Audience: Citizen, Subject: SubjectCase, SubjectParam: "caseId"}, a.getCitizenCase)
}

func (a *API) getCitizenCase(ctx context.Context, in *citizenCasePath) (*citizenCaseOutput, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.caseId", in.CaseID, domain.ParseID[domain.CaseID])
	if err != nil {
		return nil, err
	}
	v, err := app.Queries.CitizenCase.Handle(ctx, cases.CitizenCase{CaseID: id, Token: a.citizenToken(ctx)})
	if err != nil {
		return nil, err
	}
	out := CitizenCase{Reference: v.Reference.String(), Status: v.Status.String(), Notes: make([]CitizenNote, 0, len(v.Notes))}
	for _, n := range v.Notes {
		out.Notes = append(out.Notes, CitizenNote{Text: n.Text, AddedAt: n.AddedAt})
	}
	return &citizenCaseOutput{Body: out}, nil
}
