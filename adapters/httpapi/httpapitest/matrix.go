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

// Expectations maps every operation ID to the principals allowed to call
// it. An operation of the document missing here fails the test, and so
// does an entry for an operation that does not exist.
type Expectations map[string][]string

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
			switch {
			case ownToken:
				if got != http.StatusUnauthorized {
					t.Errorf("%s as %s: status %d, want 401 (the operation takes its own token)", id, pr, got)
				}
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
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("expectations name operation %s, which the API does not have", id)
		}
	}
}
