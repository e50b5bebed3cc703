package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/domain"
)

type statsInput struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36"`
	Date     string `query:"date" format:"date" maxLength:"10" doc:"Berlin date (default today)"`
}

// OfficeStats are an office's figures of one Berlin day.
type OfficeStats struct {
	OfficeID           string `json:"officeId" maxLength:"36"`
	Date               string `json:"date" format:"date" maxLength:"10"`
	Knocks             int    `json:"knocks" minimum:"0"`
	Served             int    `json:"served" minimum:"0" doc:"Visits admitted for the first time"`
	Declined           int    `json:"declined" minimum:"0"`
	Referred           int    `json:"referred" minimum:"0"`
	Withdrawn          int    `json:"withdrawn" minimum:"0"`
	Expired            int    `json:"expired" minimum:"0"`
	NoShows            int    `json:"noShows" minimum:"0"`
	AverageWaitSeconds int64  `json:"averageWaitSeconds" minimum:"0" doc:"Knock to first admission, over served visits"`
	Calls              int    `json:"calls" minimum:"0"`
	AverageCallSeconds int64  `json:"averageCallSeconds" minimum:"0"`
}

type statsOutput struct{ Body OfficeStats }

func registerStatsRoutes(a *API) {
	Register(a, huma.Operation{
		OperationID: "get-office-stats", Method: http.MethodGet, Path: "/offices/{officeId}/stats",
		Summary: "An office's statistics of one day", Tags: []string{"clerk", "admin"},
	}, Permission{Audience: Clerk | Admin, OfficeParam: "officeId"}, a.officeStats)
}

func (a *API) officeStats(ctx context.Context, in *statsInput) (*statsOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	date, err := a.berlinDate("query.date", in.Date)
	if err != nil {
		return nil, err
	}
	s := m.Stats.Day(id, date)
	return &statsOutput{Body: OfficeStats{
		OfficeID: id.String(), Date: date.String(), Knocks: s.Knocks, Served: s.Served, Declined: s.Declined, Referred: s.Referred,
		Withdrawn: s.Withdrawn, Expired: s.Expired, NoShows: s.NoShows, AverageWaitSeconds: int64(s.AverageWait / time.Second),
		Calls: s.Calls, AverageCallSeconds: int64(s.AverageCall / time.Second),
	}}, nil
}
