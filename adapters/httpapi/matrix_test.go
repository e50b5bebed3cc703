package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/web/webtest"
)

var (
	everyone = httpapitest.Principals
	staffAll = []string{httpapitest.ClerkX, httpapitest.ClerkY, httpapitest.Auditor, httpapitest.Admin}
	admins   = []string{httpapitest.Admin}
	auditors = []string{httpapitest.Auditor}
	citizenA = []string{httpapitest.CitizenA}
	clerkX   = []string{httpapitest.ClerkX}
	clerks   = []string{httpapitest.ClerkX, httpapitest.ClerkY}
	ownToken = []string{httpapitest.OwnToken}
)

// authorization is the expectation table of the API's operations. A new
// operation fails TestAuthorizationMatrix until it is added here.
var authorization = httpapitest.Expectations{
	"login":                everyone,
	"logout":               staffAll,
	"get-me":               staffAll,
	"list-staff-users":     admins,
	"create-staff-user":    admins,
	"assign-staff-offices": admins,
	"set-staff-password":   admins,
	"disable-staff-user":   admins,

	"list-offices": everyone, "get-office": everyone, "watch-doors": everyone, "list-slots": everyone,
	"knock": everyone, "book-appointment": everyone,

	"get-visit": citizenA, "watch-visit": citizenA, "withdraw-visit": citizenA, "visit-heartbeat": citizenA,
	"get-appointment": citizenA, "cancel-appointment": citizenA, "reschedule-appointment": citizenA,
	"get-citizen-case": citizenA, "upload-document": citizenA,

	"get-queue": clerkX, "watch-queue": clerkX, "admit-visit": clerkX, "admit-next": clerkX, "decline-visit": clerkX,
	"send-visit-message": clerkX, "return-visit-to-waiting-room": clerkX, "end-visit": clerkX,
	"go-on-duty": clerkX, "pause-duty": clerkX, "resume-duty": clerkX, "go-off-duty": clerkX,
	"get-office-calendar": clerkX, "list-cases": clerkX, "get-case": clerkX, "add-case-note": clerkX,
	"change-case-status": clerkX, "close-case": clerkX, "hand-over-case": clerkX, "propose-follow-up": clerkX,
	"request-document": clerkX, "download-document": clerkX,
	"list-my-cases":    {httpapitest.ClerkX, httpapitest.ClerkY},
	"get-office-stats": {httpapitest.ClerkX, httpapitest.Admin},

	"get-case-history": auditors, "get-case-state-at": auditors, "verify-case": auditors, "export-case": auditors,
	"get-case-audit-log": {httpapitest.Auditor, httpapitest.Admin},

	"create-office": admins, "set-opening-hours": admins, "set-hours-exception": admins, "remove-hours-exception": admins,
	"offer-service": admins, "withdraw-service": admins, "set-slot-capacity": admins,

	// Calls: the visit's citizen or a clerk (the call service admits only the
	// admitting clerk); the WHIP routes are public at the platform and take
	// a call's join token, which no principal of the matrix holds (401; the
	// token itself is tested in routes_calls_test.go).
	"issue-call-token":  {httpapitest.CitizenA, httpapitest.ClerkX, httpapitest.ClerkY},
	"invite-call-guest": {httpapitest.ClerkX, httpapitest.ClerkY},
	"join-call":         ownToken, "renegotiate-call": ownToken, "leave-call": ownToken, "get-ice-servers": ownToken,
}

// pageAuthorization is the expectation table of the pages, by route
// pattern; a new page route fails TestAuthorizationMatrix until it is
// added here. Citizens' pages are public at the pipeline: the capability
// is the citizen's own cookie, which the ports check.
var pageAuthorization = httpapitest.Expectations{
	"GET /static/": everyone, "GET /{$}": everyone, "/": everyone, "GET /live/doors": everyone, "GET /devices": everyone,
	"GET /offices/{office}/knock": everyone, "POST /offices/{office}/knock": everyone,
	"GET /visit": everyone, "POST /visit/withdraw": everyone, "GET /live/visit": everyone, "GET /visit/call": everyone,
	"GET /appointments": everyone, "POST /appointments": everyone, "GET /appointments/manage": everyone,
	"POST /appointments/manage": everyone, "GET /appointments/confirmation": everyone,
	"GET /appointments/confirmation.ics": everyone, "POST /appointments/cancel": everyone,
	"POST /appointments/reschedule": everyone, "GET /case": everyone, "POST /case": everyone, "GET /case/view": everyone,
	"GET /staff/login": everyone, "POST /staff/login": everyone,
	"POST /staff/logout": staffAll,

	"GET /staff": clerks, "GET /staff/calls/{visit}": clerks, "GET /staff/cases": clerks, "GET /staff/cases/{ref}": clerks,
	"POST /staff/cases/{ref}/{action}": clerks, "GET /staff/appointments": clerks,
	"POST /staff/offices/{office}/duty": clerkX, "GET /staff/offices/{office}/queue": clerkX, "GET /live/queue/{office}": clerkX,
	"POST /staff/offices/{office}/admit": clerkX, "POST /staff/offices/{office}/visits/{visit}/{action}": clerkX,

	"GET /audit": auditors, "GET /audit/cases/{ref}": auditors, "GET /audit/cases/{ref}/export.json": auditors,

	"GET /admin": admins, "POST /admin/offices": admins, "POST /admin/offices/{office}/{action}": admins,
	"GET /admin/staff": admins, "POST /admin/staff": admins, "POST /admin/staff/{staff}/offices": admins,
}

// TestAuthorizationMatrix runs every operation and every page route as
// every principal. The pages run on the in-memory fake's ports: what is
// checked is the pipeline's permission, before any port is called.
func TestAuthorizationMatrix(t *testing.T) {
	pages, err := web.New(web.Config{Ports: webtest.New(nil).Ports(), Heartbeat: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	env := httpapitest.New(t, httpapitest.Options{Pages: pages})
	if len(env.API.PageRoutes()) == 0 {
		t.Fatal("no page routes: the matrix would not cover the pages")
	}
	want := httpapitest.Expectations{}
	for _, table := range []httpapitest.Expectations{authorization, pageAuthorization} {
		for id, allowed := range table {
			want[id] = allowed
		}
	}
	httpapitest.CheckMatrix(t, env, want)
}

type probeOut struct {
	Body struct {
		OK bool `json:"ok"`
	}
}

func probe(context.Context, *struct {
	OfficeID string `path:"officeId" maxLength:"36"`
}) (*probeOut, error) {
	out := &probeOut{}
	out.Body.OK = true
	return out, nil
}

func probeVisit(context.Context, *struct {
	VisitID string `path:"visitId" maxLength:"36"`
}) (*probeOut, error) {
	return &probeOut{}, nil
}

func probeCase(context.Context, *struct {
	CaseID string `path:"caseId" maxLength:"36"`
}) (*probeOut, error) {
	return &probeOut{}, nil
}

// registerProbes adds test-only routes for every kind of permission, so
// the harness and the checks are exercised beyond today's routes.
func registerProbes(api *httpapi.API) {
	get := func(id, path string) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodGet, Path: path}
	}
	httpapi.Register(api, get("probe-clerk-office", "/probe/offices/{officeId}"), httpapi.Permission{Audience: httpapi.Clerk, OfficeParam: "officeId"}, probe)
	httpapi.Register(api, get("probe-clerk-any-office", "/probe/any/{officeId}"), httpapi.Permission{Audience: httpapi.Clerk}, probe)
	httpapi.Register(api, get("probe-clerk-or-auditor", "/probe/mixed/{officeId}"), httpapi.Permission{Audience: httpapi.Clerk | httpapi.Auditor, OfficeParam: "officeId"}, probe)
	httpapi.Register(api, get("probe-auditor", "/probe/audit/{officeId}"), httpapi.Permission{Audience: httpapi.Auditor}, probe)
	httpapi.Register(api, get("probe-citizen-visit", "/probe/visits/{visitId}"), httpapi.Permission{Audience: httpapi.Citizen, Subject: httpapi.SubjectVisit, SubjectParam: "visitId"}, probeVisit)
	httpapi.Register(api, get("probe-citizen-or-clerk-case", "/probe/cases/{caseId}"), httpapi.Permission{Audience: httpapi.Citizen | httpapi.Clerk, Subject: httpapi.SubjectCase, SubjectParam: "caseId"}, probeCase)
	httpapi.Register(api, get("probe-public", "/probe/public/{officeId}"), httpapi.Permission{Audience: httpapi.Anyone}, probe)
}

func TestAuthorizationMatrixOfEveryPermissionKind(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Register: registerProbes})
	want := httpapitest.Expectations{
		"probe-clerk-office":          {httpapitest.ClerkX},
		"probe-clerk-any-office":      {httpapitest.ClerkX, httpapitest.ClerkY},
		"probe-clerk-or-auditor":      {httpapitest.ClerkX, httpapitest.Auditor},
		"probe-auditor":               {httpapitest.Auditor},
		"probe-citizen-visit":         {httpapitest.CitizenA},
		"probe-citizen-or-clerk-case": {httpapitest.CitizenA, httpapitest.ClerkX, httpapitest.ClerkY},
		"probe-public":                everyone,
	}
	for id, allowed := range authorization {
		want[id] = allowed
	}
	httpapitest.CheckMatrix(t, env, want)
}

// A capability token of one kind does not open a subject of another kind
// with the same ID, and a token in the query is ignored outside SSE routes.
func TestCapabilityIsBoundToKindAndHeader(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Register: registerProbes})
	path := "/api/v1/probe/visits/" + env.SubjectA.String()
	if resp, _ := env.Do(t, httpapitest.CitizenA, "case", http.MethodGet, path, nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("case token on a visit route: %d, want 403", resp.StatusCode)
	}
	if resp, _ := env.Do(t, httpapitest.CitizenA, "visit", http.MethodGet, path, nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("visit token on its visit: %d, want 200", resp.StatusCode)
	}
	q := path + "?token=" + env.CapabilityToken("visit", env.SubjectA)
	if resp, _ := env.Do(t, httpapitest.Anonymous, "", http.MethodGet, q, nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("token in the query of a non-SSE route: %d, want 401", resp.StatusCode)
	}
}

// Changing a clerk's offices takes effect on the next request of the open
// session.
func TestOfficeReassignmentTakesEffectAtOnce(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{Register: registerProbes})
	tok := env.Credential(t, httpapitest.ClerkX, "")
	get := func() int {
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/api/v1/probe/offices/"+env.OfficeX.String(), nil)
		req.Header.Set("Authorization", tok)
		resp, err := env.Server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(); s != http.StatusOK {
		t.Fatalf("before: %d", s)
	}
	body := `{"offices":["` + env.OfficeY.String() + `"]}`
	resp, b := env.Do(t, httpapitest.Admin, "", http.MethodPut, "/api/v1/staff-users/"+env.Users[httpapitest.ClerkX].ID.String()+"/offices", stringsReader(body), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("assign: %d %s", resp.StatusCode, b)
	}
	if s := get(); s != http.StatusForbidden {
		t.Errorf("after reassignment: %d, want 403", s)
	}
}
