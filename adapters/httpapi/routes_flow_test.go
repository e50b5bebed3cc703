package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// flow drives the routes as their users do, on the harness's in-memory
// application (its read side is applied before each append returns).
type flow struct {
	t   *testing.T
	env *httpapitest.Env
}

// do sends body as JSON with a bearer token and decodes the answer into
// out; it returns the status.
func (f flow) do(token, method, path string, body any, out any) int {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.env.Server.URL+"/api/v1"+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := f.env.Server.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		f.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			f.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

func (f flow) want(got, want int, what string) {
	f.t.Helper()
	if got != want {
		f.t.Fatalf("%s: status %d, want %d", what, got, want)
	}
}

var weekdays = func() []map[string]any {
	var out []map[string]any
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		out = append(out, map[string]any{"weekday": d, "intervals": []map[string]string{{"from": "08:00", "to": "18:00"}}})
	}
	return out
}()

// From establishing an office to the auditor's verification: every step a
// citizen, a clerk, an auditor and an admin take, over HTTP.
func TestCitizenClerkAuditorFlow(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	f := flow{t, env}
	admin := env.Credential(t, httpapitest.Admin, "")
	clerk := env.Credential(t, httpapitest.ClerkX, "")
	auditor := env.Credential(t, httpapitest.Auditor, "")
	office := env.OfficeX.String()
	service := "7d1f0a52-5a8b-4d1e-9c1e-1a2b3c4d5e6f"

	var created struct {
		OfficeID string `json:"officeId"`
		Created  bool   `json:"created"`
	}
	f.want(f.do(admin, http.MethodPost, "/offices", map[string]any{
		"officeId": office, "departmentId": "0b6a3c1e-9f0e-4c55-8d4a-2f3e4d5c6b7a", "name": "Bürgerdienste Mitte",
		"services": []map[string]any{{"serviceId": service, "name": "Personalausweis", "typicalDurationMinutes": 15}},
		"weekly":   weekdays, "slotCapacity": 2,
	}, &created), http.StatusCreated, "create-office")
	if created.OfficeID != office || !created.Created {
		t.Fatalf("create-office: %+v", created)
	}
	var o struct {
		Door       string   `json:"door"`
		ServiceIDs []string `json:"serviceIds"`
	}
	f.want(f.do("", http.MethodGet, "/offices/"+office, nil, &o), http.StatusOK, "get-office")
	if o.Door != "closed" || len(o.ServiceIDs) != 1 {
		t.Fatalf("office before duty: %+v", o)
	}
	f.want(f.do(clerk, http.MethodPost, "/offices/"+office+"/duty/on", nil, nil), http.StatusNoContent, "go-on-duty")
	f.want(f.do("", http.MethodGet, "/offices/"+office, nil, &o), http.StatusOK, "get-office")
	if o.Door != "open" {
		t.Fatalf("door after go-on-duty: %q, want open (read-your-writes)", o.Door)
	}

	var k struct {
		VisitID string `json:"visitId"`
		Token   string `json:"token"`
	}
	f.want(f.do("", http.MethodPost, "/offices/"+office+"/visits", map[string]any{"serviceId": service, "displayName": "Ada"}, &k), http.StatusCreated, "knock")
	if len(k.Token) < 22 { // 128 bits in base64
		t.Fatalf("token %q is too short", k.Token)
	}
	citizen := "Bearer " + k.Token
	var v struct {
		Status    string `json:"status"`
		Position  int    `json:"position"`
		Admission *struct {
			CaseID, CaseReference, CaseToken string
		} `json:"admission"`
	}
	f.want(f.do(citizen, http.MethodGet, "/visits/"+k.VisitID, nil, &v), http.StatusOK, "get-visit")
	if v.Status != "waiting" || v.Position != 1 {
		t.Fatalf("visit: %+v", v)
	}
	var q struct {
		Waiting []struct {
			VisitID string `json:"visitId"`
		} `json:"waiting"`
	}
	f.want(f.do(clerk, http.MethodGet, "/offices/"+office+"/queue", nil, &q), http.StatusOK, "get-queue")
	if len(q.Waiting) != 1 || q.Waiting[0].VisitID != k.VisitID {
		t.Fatalf("queue: %+v", q)
	}
	// Another office's clerk cannot reach this visit even through their own office.
	clerkY := env.Credential(t, httpapitest.ClerkY, "")
	f.want(f.do(clerkY, http.MethodPost, "/offices/"+env.OfficeY.String()+"/visits/"+k.VisitID+"/admit", nil, nil), http.StatusNotFound, "admit through another office")

	var ad struct {
		CaseID, CaseReference string
		NewCase               bool
	}
	f.want(f.do(clerk, http.MethodPost, "/offices/"+office+"/visits/"+k.VisitID+"/admit", nil, &ad), http.StatusOK, "admit-visit")
	if _, err := casefile.ParseReference(ad.CaseReference); err != nil || !ad.NewCase {
		t.Fatalf("admission: %+v (%v)", ad, err)
	}
	f.want(f.do(clerk, http.MethodPost, "/offices/"+office+"/visits/"+k.VisitID+"/admit", nil, nil), http.StatusConflict, "second admit")
	f.want(f.do(citizen, http.MethodGet, "/visits/"+k.VisitID, nil, &v), http.StatusOK, "get-visit")
	if v.Status != "admitted" || v.Admission == nil || v.Admission.CaseReference != ad.CaseReference {
		t.Fatalf("visit after admission: %+v", v)
	}
	caseToken := "Bearer " + v.Admission.CaseToken
	casePath := "/offices/" + office + "/cases/" + ad.CaseID

	var note struct {
		NoteID string `json:"noteId"`
		Case   struct {
			Status string `json:"status"`
		} `json:"case"`
	}
	f.want(f.do(clerk, http.MethodPost, casePath+"/notes", map[string]any{"text": "Bitte Foto mitbringen", "visibility": "citizen"}, &note), http.StatusCreated, "add-case-note")
	f.want(f.do(clerk, http.MethodPost, casePath+"/notes", map[string]any{"text": "intern", "visibility": "internal"}, nil), http.StatusCreated, "add-case-note")
	// A note whose answer was lost is sent again with its clientRequestId:
	// stored once, answered with the same note ID.
	retried := map[string]any{"text": "Termin bestätigt", "visibility": "citizen", "clientRequestId": uuid.NewString()}
	var first, again struct {
		NoteID string `json:"noteId"`
	}
	f.want(f.do(clerk, http.MethodPost, casePath+"/notes", retried, &first), http.StatusCreated, "add-case-note")
	f.want(f.do(clerk, http.MethodPost, casePath+"/notes", retried, &again), http.StatusCreated, "add-case-note retried")
	if first.NoteID == "" || first.NoteID != again.NoteID {
		t.Fatalf("retried note answered %q, the first %q", again.NoteID, first.NoteID)
	}
	retried["clientRequestId"] = uuid.NewString() // the same text as a new request is a second note
	f.want(f.do(clerk, http.MethodPost, casePath+"/notes", retried, nil), http.StatusCreated, "add-case-note")
	var cc struct {
		Reference string `json:"reference"`
		Notes     []struct{ Text string }
	}
	f.want(f.do(caseToken, http.MethodGet, "/cases/"+ad.CaseID, nil, &cc), http.StatusOK, "get-citizen-case")
	if cc.Reference != ad.CaseReference || len(cc.Notes) != 3 || cc.Notes[0].Text != "Bitte Foto mitbringen" || cc.Notes[1].Text != "Termin bestätigt" || cc.Notes[2].Text != "Termin bestätigt" {
		t.Fatalf("citizen case: %+v", cc)
	}

	var dr struct {
		RequestID string `json:"requestId"`
		Case      struct {
			OpenDocumentRequests int `json:"openDocumentRequests"`
		} `json:"case"`
	}
	f.want(f.do(clerk, http.MethodPost, casePath+"/document-requests", map[string]any{"what": "Passfoto", "dueDate": "2026-12-01"}, &dr), http.StatusCreated, "request-document")
	if dr.Case.OpenDocumentRequests != 1 {
		t.Fatalf("case after request-document: %+v (read-your-writes)", dr)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	uploadPath := "/api/v1/cases/" + ad.CaseID + "/document-requests/" + dr.RequestID + "/document?fileName=foto.pdf"
	// The content decides the type, not the declared one: an SVG sent as
	// image/png is refused.
	svg, b := env.Do(t, httpapitest.Anonymous, "", http.MethodPost, uploadPath, strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		http.Header{"Content-Type": {"image/png"}, "Authorization": {caseToken}})
	if svg.StatusCode != http.StatusUnprocessableEntity || decodeProblem(t, b).Code != "document_type_not_allowed" {
		t.Fatalf("SVG upload: %d %s, want 422 document_type_not_allowed", svg.StatusCode, b)
	}
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+uploadPath, bytes.NewReader(pdf))
	req.Header.Set("Content-Type", "application/pdf")
	req.Header.Set("Authorization", caseToken)
	resp, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SHA256 string `json:"sha256"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	f.want(resp.StatusCode, http.StatusCreated, "upload-document")
	dl, body := env.Do(t, httpapitest.ClerkX, "", http.MethodGet, "/api/v1"+casePath+"/documents/"+doc.SHA256, nil, nil)
	if dl.StatusCode != http.StatusOK || !bytes.Equal(body, pdf) {
		t.Fatalf("download-document: %d %q", dl.StatusCode, body)
	}

	var closed struct {
		Status  string `json:"status"`
		Outcome string `json:"outcome"`
	}
	f.want(f.do(clerk, http.MethodPost, casePath+"/close", map[string]any{"outcome": "completed"}, &closed), http.StatusOK, "close-case")
	if closed.Status != "closed" || closed.Outcome != "completed" {
		t.Fatalf("case after close: %+v (read-your-writes)", closed)
	}

	var hist struct {
		Steps        []struct{ Type string }
		Verification struct{ Intact bool }
	}
	f.want(f.do(auditor, http.MethodGet, "/audit/cases/"+ad.CaseID+"/history", nil, &hist), http.StatusOK, "get-case-history")
	if len(hist.Steps) < 5 || !hist.Verification.Intact {
		t.Fatalf("history: %d steps, intact %v", len(hist.Steps), hist.Verification.Intact)
	}
	var ver struct{ Intact bool }
	f.want(f.do(auditor, http.MethodGet, "/audit/cases/"+ad.CaseID+"/verification", nil, &ver), http.StatusOK, "verify-case")
	var ex struct {
		ExportedBy string `json:"exportedBy"`
	}
	f.want(f.do(auditor, http.MethodGet, "/audit/cases/"+ad.CaseID+"/export", nil, &ex), http.StatusOK, "export-case")
	if !ver.Intact || !strings.HasPrefix(ex.ExportedBy, "auditor:") {
		t.Fatalf("verification %+v, export by %q", ver, ex.ExportedBy)
	}
	// Every audit access is recorded (history, verification, export).
	if n := len(env.Events(audit.LogStreamName(domain.IDFrom[domain.CaseID](uuid.MustParse(ad.CaseID))))); n != 3 {
		t.Fatalf("%d audit accesses recorded, want 3", n)
	}

	var st struct{ Knocks, Served int }
	f.want(f.do(clerk, http.MethodGet, "/offices/"+office+"/stats", nil, &st), http.StatusOK, "get-office-stats")
	if st.Knocks != 1 || st.Served != 1 {
		t.Fatalf("stats: %+v", st)
	}
}

// A document over the size limit is refused with 413 before the
// application sees it.
func TestUploadOverLimitIs413(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	path := "/api/v1/cases/" + env.SubjectA.String() + "/document-requests/" + env.SubjectB.String() + "/document?fileName=big.pdf"
	big := io.LimitReader(zeros{}, int64(casefile.MaxDocumentSize)+1)
	resp, b := env.Do(t, httpapitest.CitizenA, "case", http.MethodPost, path, big, http.Header{"Content-Type": {"application/pdf"}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d %s, want 413", resp.StatusCode, b)
	}
	if p := decodeProblem(t, b); p.Code != "body_too_large" {
		t.Fatalf("problem %+v", p)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
