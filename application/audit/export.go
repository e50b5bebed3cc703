package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
)

// ExportCase asks for a case's audit record as a JSON document.
type ExportCase struct {
	CaseID domain.CaseID
}

// Export is the exported document: the replay plus when and by whom it was
// exported.
type Export struct {
	Replay
	ExportedAt time.Time `json:"exportedAt"`
	ExportedBy string    `json:"exportedBy"`
}

// ExportCaseHandler handles ExportCase.
type ExportCaseHandler struct{ r reader }

// NewExportCaseHandler refuses an incomplete env.
func NewExportCaseHandler(env command.Env) (ExportCaseHandler, error) {
	r, err := newReader(env)
	return ExportCaseHandler{r: r}, err
}

// Handle records the access and returns the indented JSON document.
func (h ExportCaseHandler) Handle(ctx context.Context, c command.Context, q ExportCase) ([]byte, error) {
	evs, err := h.r.access(ctx, c, q.CaseID, AccessExport, time.Time{})
	if err != nil {
		return nil, err
	}
	steps, err := Fold(evs)
	if err != nil {
		return nil, err
	}
	doc := Export{
		Replay:     Replay{CaseID: q.CaseID, Steps: steps, Verification: Verify(evs)},
		ExportedAt: h.r.env.Clock.Now().UTC(), ExportedBy: c.Actor.String(),
	}
	return json.MarshalIndent(doc, "", "  ")
}
