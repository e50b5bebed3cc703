package httpapitest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// Expectations maps every operation ID, and every page route by its
// pattern ("GET /staff"), to the principals allowed to call it. An
// operation or page route missing here fails the test, and so does an
// entry for one that does not exist.
type Expectations map[string][]string

// PageCSRF is the double-submit pair the pages' form posts carry (cookie
// bb_csrf, field _csrf): the matrix sends it so that a page's CSRF check
// does not hide what the permission decided.
const PageCSRF = "matrix-csrf-token-0123456789abcdefghijklmnopq"

// pageRequest is one page route as a request of the matrix.
type pageRequest struct {
	method, path string
}

// pageRequests lists the API's page routes with their path parameters
// filled like FillPath does for operations.
func (e *Env) pageRequests() map[string]pageRequest {
	out := map[string]pageRequest{}
	for _, r := range e.API.PageRoutes() {
		method := r.Method
		if method == "" {
			method = http.MethodGet
		}
		var b strings.Builder
		rest := strings.ReplaceAll(r.Path, "{$}", "")
		for {
			i := strings.IndexByte(rest, '{')
			if i < 0 {
				b.WriteString(rest)
				break
			}
			j := strings.IndexByte(rest[i:], '}')
			name := strings.TrimSuffix(rest[i+1:i+j], "...")
			v := uuid.New().String()
			switch name {
			case r.Permission.OfficeParam:
				v = e.OfficeX.String()
			case r.Permission.SubjectParam:
				v = e.SubjectA.String()
			}
			b.WriteString(rest[:i] + v)
			rest = rest[i+j+1:]
		}
		out[r.Pattern] = pageRequest{method: method, path: b.String()}
	}
	return out
}

// Operation is one operation of the OpenAPI document.
type Operation struct {
	Method, Path string
	Op           *huma.Operation
}

// Operations lists the operations of the API's OpenAPI document in a
// stable order.
func Operations(e *Env) []Operation {
	var out []Operation
	for path, item := range e.API.Huma().OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodPut: item.Put,
			http.MethodPatch: item.Patch, http.MethodDelete: item.Delete,
		} {
			if op != nil {
				out = append(out, Operation{Method: method, Path: path, Op: op})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Op.OperationID < out[j].Op.OperationID })
	return out
}

// SubjectKind returns the capability kind an operation checks ("visit" if
// it checks none, so citizens get some token).
func SubjectKind(op *huma.Operation) (kind, param string) {
	if s, ok := op.Extensions["x-subject"].(map[string]string); ok {
		return s["kind"], s["param"]
	}
	return "visit", ""
}

// FillPath puts citizen A's subject into the subject parameter, office X
// into the office parameter and fresh UUIDs into every other parameter.
func (e *Env) FillPath(op Operation) string {
	_, subjectParam := SubjectKind(op.Op)
	officeParam, _ := op.Op.Extensions["x-office-param"].(string)
	path := op.Path
	for _, p := range op.Op.Parameters {
		if p.In != "path" {
			continue
		}
		v := uuid.New().String()
		switch p.Name {
		case subjectParam:
			v = e.SubjectA.String()
		case officeParam:
			v = e.OfficeX.String()
		}
		path = strings.ReplaceAll(path, "{"+p.Name+"}", v)
	}
	return path
}

// CheckMatrix sends every operation as every principal. Allowed principals
// must not get 401 or 403; the others must get 401 (anonymous) or 403. The
// request carries an empty JSON object as body: authorisation is decided
// before the body is looked at.
func CheckMatrix(t *testing.T, e *Env, want Expectations) {
	t.Helper()
	seen := map[string]bool{}
	for _, op := range Operations(e) {
		id := op.Op.OperationID
		seen[id] = true
		allowed, ok := want[id]
		if !ok {
			t.Errorf("operation %s (%s %s) is missing from the authorisation expectations", id, op.Method, op.Path)
			continue
		}
		kind, _ := SubjectKind(op.Op)
		ownToken := slices.Equal(allowed, []string{OwnToken})
		for _, pr := range Principals {
			var body *strings.Reader
			if op.Method != http.MethodGet {
				body = strings.NewReader("{}")
			}
			var resp *http.Response
			if body != nil {
				resp, _ = e.Do(t, pr, kind, op.Method, e.FillPath(op), body, nil)
			} else {
				resp, _ = e.Do(t, pr, kind, op.Method, e.FillPath(op), nil, nil)
			}
			got := resp.StatusCode
			if ownToken {
				if got != http.StatusUnauthorized {
					t.Errorf("%s as %s: status %d, want 401 (the operation takes its own token)", id, pr, got)
				}
				continue
			}
			checkStatus(t, id, pr, allowed, got)
		}
	}
	for pattern, req := range e.pageRequests() {
		seen[pattern] = true
		allowed, ok := want[pattern]
		if !ok {
			t.Errorf("page route %s is missing from the authorisation expectations", pattern)
			continue
		}
		for _, pr := range Principals {
			var body *strings.Reader
			header := http.Header{}
			if req.method != http.MethodGet {
				body = strings.NewReader("_csrf=" + PageCSRF)
				header.Set("Content-Type", "application/x-www-form-urlencoded")
				header.Set("Cookie", "bb_csrf="+PageCSRF)
			}
			var resp *http.Response
			if body != nil {
				resp, _ = e.Do(t, pr, "visit", req.method, req.path, body, header)
			} else {
				resp, _ = e.Do(t, pr, "visit", req.method, req.path, nil, header)
			}
			checkStatus(t, pattern, pr, allowed, resp.StatusCode)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("expectations name operation or page route %s, which the API does not have", id)
		}
	}
}

// checkStatus: allowed principals must not get 401 or 403; the others must
// get 401 (anonymous) or 403.
func checkStatus(t *testing.T, id, pr string, allowed []string, got int) {
	t.Helper()
	switch {
	case slices.Contains(allowed, pr):
		if got == http.StatusUnauthorized || got == http.StatusForbidden {
			t.Errorf("%s as %s: status %d, want it allowed", id, pr, got)
		}
	case pr == Anonymous:
		if got != http.StatusUnauthorized {
			t.Errorf("%s as %s: status %d, want 401", id, pr, got)
		}
	default:
		if got != http.StatusForbidden {
			t.Errorf("%s as %s: status %d, want 403", id, pr, got)
		}
	}
}
