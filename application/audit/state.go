package audit

import (
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// CaseState is the case as it stood after a step: what an auditor compares
// from step to step. Note texts are not repeated here (they are in the
// steps' data).
type CaseState struct {
	Reference            string           `json:"reference"`
	Status               string           `json:"status"`
	Outcome              string           `json:"outcome,omitempty"`
	OfficeID             domain.OfficeID  `json:"officeId"`
	ServiceID            domain.ServiceID `json:"serviceId"`
	ClerkID              domain.ClerkID   `json:"clerkId,omitzero"`
	VisitID              domain.VisitID   `json:"visitId,omitzero"`
	Notes                int              `json:"notes"`
	OpenDocumentRequests int              `json:"openDocumentRequests"`
	ActiveCall           domain.CallID    `json:"activeCall,omitzero"`
	Closed               bool             `json:"closed"`
}

func stateOf(c *casefile.Case) CaseState {
	return CaseState{
		Reference: c.Reference().String(), Status: c.Status().String(), Outcome: c.Outcome().String(),
		OfficeID: c.Office(), ServiceID: c.Service(), ClerkID: c.Clerk(), VisitID: c.Visit(),
		Notes: len(c.Notes()), OpenDocumentRequests: len(c.OpenDocumentRequests()),
		ActiveCall: c.ActiveCall(), Closed: c.IsClosed(),
	}
}
