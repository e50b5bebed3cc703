package webbridge

import (
	"context"
	"fmt"
	"strconv"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/audit"
)

type auditPort struct{ b *bridge }

func (a auditPort) Timeline(ctx context.Context, p web.Principal, reference string) (web.TimelineView, error) {
	b := a.b
	c, err := b.auditor(ctx, p)
	if err != nil {
		return web.TimelineView{}, err
	}
	cs, err := b.caseByReference(reference)
	if err != nil {
		return web.TimelineView{}, err
	}
	r, err := b.App.Queries.ReplayCase.Handle(ctx, c, audit.ReplayCase{CaseID: cs.CaseID})
	if err != nil {
		return web.TimelineView{}, err
	}
	tl := web.TimelineView{Reference: cs.Reference.String(), Integrity: integrityOf(r.Verification)}
	var prev audit.CaseState
	for i, s := range r.Steps {
		tl.Steps = append(tl.Steps, web.StepView{
			Number: i + 1, At: s.OccurredAt, Type: s.Type, Actor: s.ActorRole + " " + s.ActorID,
			Summary: summaryOf(s.Type, prev, s.State), State: fieldsOf(s.State),
		})
		prev = s.State
	}
	return tl, nil
}

func integrityOf(v audit.Verification) web.IntegrityView {
	iv := web.IntegrityView{Verified: v.Intact, Head: v.Head}
	if !v.Intact {
		iv.Problem = "integrity check failed"
		if v.Break != nil {
			iv.Problem = v.Break.Error()
		}
	}
	return iv
}

// summaryOf describes a step by what it changed, never by its free text
// (notes and reasons are personal data the auditor opens in the export).
func summaryOf(typ string, before, after audit.CaseState) string {
	switch {
	case before.Status != after.Status && before.Status != "":
		return fmt.Sprintf("status %s → %s", before.Status, after.Status)
	case after.Notes > before.Notes:
		return fmt.Sprintf("note %d", after.Notes)
	case after.OpenDocumentRequests != before.OpenDocumentRequests:
		return fmt.Sprintf("open document requests %d → %d", before.OpenDocumentRequests, after.OpenDocumentRequests)
	case before.ClerkID != after.ClerkID && !before.ClerkID.IsZero():
		return "handed over"
	case before.ActiveCall != after.ActiveCall:
		if after.ActiveCall.IsZero() {
			return "call ended"
		}
		return "call started"
	case after.Outcome != "" && before.Outcome != after.Outcome:
		return "outcome " + after.Outcome
	}
	return typ
}

func fieldsOf(s audit.CaseState) []web.Field {
	f := []web.Field{
		{Name: "reference", Value: s.Reference},
		{Name: "status", Value: s.Status},
		{Name: "notes", Value: strconv.Itoa(s.Notes)},
		{Name: "open_document_requests", Value: strconv.Itoa(s.OpenDocumentRequests)},
	}
	if s.Outcome != "" {
		f = append(f, web.Field{Name: "outcome", Value: s.Outcome})
	}
	if !s.ClerkID.IsZero() {
		f = append(f, web.Field{Name: "clerk", Value: s.ClerkID.String()})
	}
	if !s.ActiveCall.IsZero() {
		f = append(f, web.Field{Name: "call", Value: s.ActiveCall.String()})
	}
	f = append(f, web.Field{Name: "closed", Value: strconv.FormatBool(s.Closed)})
	return f
}

func (a auditPort) Export(ctx context.Context, p web.Principal, reference string) ([]byte, error) {
	b := a.b
	c, err := b.auditor(ctx, p)
	if err != nil {
		return nil, err
	}
	cs, err := b.caseByReference(reference)
	if err != nil {
		return nil, err
	}
	return b.App.Queries.ExportCase.Handle(ctx, c, audit.ExportCase{CaseID: cs.CaseID})
}
