package httpapi

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// Office is an office as the start page and the knock form show it.
type Office struct {
	OfficeID string `json:"officeId" format:"uuid" maxLength:"36"`
	Name     string `json:"name" maxLength:"200"`
	// Door is open (a clerk free), busy (all in calls), paused or closed.
	Door       string     `json:"door" enum:"open,busy,paused,closed"`
	ClerksFree int        `json:"clerksFree" minimum:"0" doc:"Clerks on duty, not paused and not in a call"`
	ClosesAt   *time.Time `json:"closesAt,omitempty" maxLength:"40" doc:"End of the current opening period"`
	// NextOpening is the start of the next opening period after the
	// current one.
	NextOpening *time.Time `json:"nextOpening,omitempty" maxLength:"40" doc:"Start of the next opening period after the current one"`
	ServiceIDs  []string   `json:"serviceIds,omitempty" maxItems:"200" format:"uuid" maxLength:"36" doc:"Services offered (get-office only)"`
}

func officeOf(d readmodel.DoorView) Office {
	return Office{
		OfficeID: d.OfficeID.String(), Name: d.Name, Door: d.State.String(), ClerksFree: d.Clerks.Free,
		ClosesAt: optTime(d.ClosesAt), NextOpening: optTime(d.NextOpening),
	}
}

// OfficePath names an office (route input).
type OfficePath struct {
	OfficeID string `path:"officeId" format:"uuid" maxLength:"36" doc:"Office ID"`
}

type officeOutput struct{ Body Office }

// Offices are every office's door.
type Offices struct {
	Offices []Office `json:"offices" maxItems:"10000"`
}

type officesOutput struct{ Body Offices }

func registerOfficeRoutes(a *API) {
	public := Permission{Audience: Anyone}
	Register(a, huma.Operation{
		OperationID: "list-offices", Method: http.MethodGet, Path: "/offices",
		Summary: "List the offices and their doors", Tags: []string{"citizen", "public"},
	}, public, a.listOffices)
	Register(a, huma.Operation{
		OperationID: "get-office", Method: http.MethodGet, Path: "/offices/{officeId}",
		Summary: "An office, its door and its services", Tags: []string{"citizen", "public"},
	}, public, a.getOffice)
	RegisterSSE(a, huma.Operation{
		OperationID: "watch-doors", Path: "/doors/events",
		Summary:     "Live door states of every office (start page)",
		Description: "Sends `doors` with every office's door now and whenever a door opens, closes, pauses or gets busy.",
		Tags:        []string{"citizen", "public"},
	}, public, map[string]any{"doors": Offices{}}, a.watchDoors)
}

func (a *API) listOffices(ctx context.Context, _ *struct{}) (*officesOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	return &officesOutput{Body: a.offices(m)}, nil
}

func (a *API) offices(m *readmodel.Models) Offices {
	doors := m.Doors.All(a.cfg.Now())
	out := Offices{Offices: make([]Office, 0, len(doors))}
	for _, d := range doors {
		out.Offices = append(out.Offices, officeOf(d))
	}
	return out
}

func (a *API) getOffice(ctx context.Context, in *OfficePath) (*officeOutput, error) {
	_, m, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.officeId", in.OfficeID, domain.ParseID[domain.OfficeID])
	if err != nil {
		return nil, err
	}
	now := a.cfg.Now()
	d, ok := m.Doors.Door(id, now)
	if !ok {
		return nil, NewProblem(http.StatusNotFound, CodeNotFound, "no such office")
	}
	o := officeOf(d)
	if day, ok := m.Calendar.Day(id, hours.BerlinDate(now), now); ok {
		for sid := range day.Free {
			o.ServiceIDs = append(o.ServiceIDs, sid.String())
		}
		slices.Sort(o.ServiceIDs)
	}
	return &officeOutput{Body: o}, nil
}

func (a *API) watchDoors(ctx context.Context, _ *struct{}, lastID string, s Stream) error {
	_, m, err := a.business()
	if err != nil {
		return err
	}
	return a.watchState(ctx, lastID, s, readside.Filter{Kinds: []readside.Kind{readside.KindDoor}}, "doors",
		func() (any, error) { return a.offices(m), nil })
}
