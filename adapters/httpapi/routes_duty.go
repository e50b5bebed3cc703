package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

func registerDutyRoutes(a *API) {
	clerk := Permission{Audience: Clerk, OfficeParam: "officeId"}
	for _, d := range []struct{ id, path, summary string }{
		{"go-on-duty", "on", "Start serving the office: its door opens within opening hours"},
		{"pause-duty", "pause", "Pause serving (the door shows paused when nobody else serves)"},
		{"resume-duty", "resume", "Resume serving after a pause"},
		{"go-off-duty", "off", "Stop serving the office"},
	} {
		Register(a, huma.Operation{
			OperationID: d.id, Method: http.MethodPost, Path: "/offices/{officeId}/duty/" + d.path, DefaultStatus: http.StatusNoContent,
			Summary: d.summary, Tags: []string{"clerk"}, Errors: []int{http.StatusNotFound, http.StatusConflict},
		}, clerk, a.duty(d.id))
	}
}

// duty returns the handler of one duty operation; the response comes once
// the door and queue read models show the change.
func (a *API) duty(op string) func(context.Context, *OfficePath) (*struct{}, error) {
	return func(ctx context.Context, in *OfficePath) (*struct{}, error) {
		app, _, err := a.business()
		if err != nil {
			return nil, err
		}
		id, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
		if err != nil {
			return nil, err
		}
		c := CommandContext(ctx)
		var saved command.Saved
		switch op {
		case "go-on-duty":
			saved, err = app.Commands.GoOnDuty.Handle(ctx, c, offices.GoOnDuty{OfficeID: id})
		case "pause-duty":
			saved, err = app.Commands.PauseDuty.Handle(ctx, c, offices.PauseDuty{OfficeID: id})
		case "resume-duty":
			saved, err = app.Commands.ResumeDuty.Handle(ctx, c, offices.ResumeDuty{OfficeID: id})
		default:
			saved, err = app.Commands.GoOffDuty.Handle(ctx, c, offices.GoOffDuty{OfficeID: id})
		}
		if err != nil {
			return nil, err
		}
		a.settle(ctx, saved.Position)
		return nil, nil
	}
}

func visitEndReason(s string) (visit.EndReason, error) { return visit.ParseEndReason(s) }
