package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
)

// Mutations of a request derived from the operation's schema.
const (
	mutRawBody = iota
	mutStringFields
	mutWrongTypes
	mutMissingFields
	mutHugeNumbers
	mutOversized
	mutPathJunk
	mutCount
)

// bodyProps returns the JSON properties of an operation's request body.
func bodyProps(api *httpapi.API, op *huma.Operation) map[string]*huma.Schema {
	if op.RequestBody == nil || op.RequestBody.Content["application/json"] == nil {
		return nil
	}
	s := op.RequestBody.Content["application/json"].Schema
	if s != nil && s.Ref != "" {
		s = api.Huma().OpenAPI().Components.Schemas.SchemaFromRef(s.Ref)
	}
	if s == nil {
		return nil
	}
	return s.Properties
}

func malformedBody(props map[string]*huma.Schema, mut int, payload string) string {
	obj := map[string]any{}
	for name, s := range props {
		switch mut {
		case mutStringFields:
			obj[name] = payload
		case mutWrongTypes:
			if s.Type == "string" {
				obj[name] = []any{payload, 1, nil}
			} else {
				obj[name] = map[string]any{"x": payload}
			}
		case mutHugeNumbers:
			obj[name] = json.Number("1e400")
		case mutOversized:
			obj[name] = strings.Repeat(payload+"é\u202e\x00", 1+100_000/(len(payload)+6))
		case mutPathJunk:
			obj[name] = []any{payload}
		}
	}
	if mut == mutRawBody {
		return payload
	}
	if mut == mutMissingFields {
		return "{}"
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return "{" + payload
	}
	return string(b)
}

// FuzzOperations sends schema-derived malformed requests to every operation
// as every principal: no panic, no 5xx, no stack trace, and every error is a
// problem document.
func FuzzOperations(f *testing.F) {
	env := httpapitest.New(f, httpapitest.Options{})
	ops := httpapitest.Operations(env)
	for i := range ops {
		for m := 0; m < mutCount; m++ {
			for _, p := range []string{"", "x", "\uFFFD\u0000\u202e🙂", `{"a":`, "9999999999999999999999999", "<script>", "../../etc/passwd", strings.Repeat("ä", 300)} {
				f.Add(uint8(i), uint8(m), uint8(i+m), p)
			}
		}
	}
	f.Fuzz(func(t *testing.T, opIdx, mut, who uint8, payload string) {
		if len(payload) > 4096 { // larger inputs only test the body limit, slowly
			payload = payload[:4096]
		}
		op := ops[int(opIdx)%len(ops)]
		m := int(mut) % mutCount
		principal := httpapitest.Principals[int(who)%len(httpapitest.Principals)]
		kind, _ := httpapitest.SubjectKind(op.Op)
		path := env.FillPath(op)
		if m == mutPathJunk {
			path = op.Path
			for _, p := range op.Op.Parameters {
				if p.In == "path" {
					path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(payload+"x"))
				}
			}
		}
		var resp *http.Response
		var b []byte
		if op.Method == http.MethodGet {
			resp, b = env.Do(t, principal, kind, op.Method, path, nil, nil)
		} else {
			resp, b = env.Do(t, principal, kind, op.Method, path, strings.NewReader(malformedBody(bodyProps(env.API, op.Op), m, payload)), nil)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s as %s (mutation %d): %d %s", op.Method, path, principal, m, resp.StatusCode, b)
		}
		for _, leak := range []string{"goroutine ", ".go:", "runtime."} {
			if strings.Contains(string(b), leak) {
				t.Fatalf("%s: response contains %q: %s", op.Op.OperationID, leak, b)
			}
		}
		if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: error %d with content type %q", op.Op.OperationID, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
}
