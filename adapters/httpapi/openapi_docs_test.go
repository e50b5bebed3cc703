package httpapi_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
)

// eachOperation calls f for every operation of the API's document.
func eachOperation(t *testing.T, f func(op *huma.Operation)) {
	t.Helper()
	n := 0
	for _, item := range httpapi.Documented().Huma().OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op != nil {
				n++
				f(op)
			}
		}
	}
	if n < 60 {
		t.Fatalf("only %d operations found", n)
	}
}

// Every operation has a description, an example for each JSON body, the
// X-Request-ID response header, and Retry-After on 429 and 503.
func TestEveryOperationIsDocumented(t *testing.T) {
	eachOperation(t, func(op *huma.Operation) {
		if strings.TrimSpace(op.Description) == "" {
			t.Errorf("%s has no description", op.OperationID)
		}
		if op.RequestBody != nil {
			for ct, mt := range op.RequestBody.Content {
				if strings.Contains(ct, "json") && mt.Example == nil {
					t.Errorf("%s: request body %s has no example", op.OperationID, ct)
				}
			}
		}
		for code, r := range op.Responses {
			if r.Headers[httpapi.RequestIDHeader] == nil {
				t.Errorf("%s %s: no %s header", op.OperationID, code, httpapi.RequestIDHeader)
			}
			if (code == "429" || code == "503") && r.Headers["Retry-After"] == nil {
				t.Errorf("%s %s: no Retry-After header", op.OperationID, code)
			}
			for ct, mt := range r.Content {
				if strings.HasPrefix(code, "2") && strings.Contains(ct, "json") && mt.Example == nil {
					t.Errorf("%s %s: %s has no example", op.OperationID, code, ct)
				}
			}
		}
	})
}

// Generated examples keep to their schemas' patterns, so a client copying
// one sends something valid.
func TestExamplesMatchTheirSchemas(t *testing.T) {
	reg := httpapi.Documented().Huma().OpenAPI().Components.Schemas
	var check func(where string, s *huma.Schema, v any)
	check = func(where string, s *huma.Schema, v any) {
		if s == nil {
			return
		}
		if s.Ref != "" {
			s = reg.SchemaFromRef(s.Ref)
		}
		switch val := v.(type) {
		case string:
			if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(val) {
				t.Errorf("%s: example %q does not match %s", where, val, s.Pattern)
			}
		case map[string]any:
			for k, x := range val {
				check(where+"."+k, s.Properties[k], x)
			}
		case []any:
			for _, x := range val {
				check(where+"[]", s.Items, x)
			}
		}
	}
	eachOperation(t, func(op *huma.Operation) {
		if op.RequestBody != nil {
			for _, mt := range op.RequestBody.Content {
				check(op.OperationID, mt.Schema, mt.Example)
			}
		}
		for code, r := range op.Responses {
			for _, mt := range r.Content {
				check(op.OperationID+" "+code, mt.Schema, mt.Example)
			}
		}
	})
}

// The document names where the API is served.
func TestOpenAPIHasServers(t *testing.T) {
	if s := httpapi.Documented().Huma().OpenAPI().Servers; len(s) == 0 || s[0].URL == "" {
		t.Fatalf("servers %+v", s)
	}
}
