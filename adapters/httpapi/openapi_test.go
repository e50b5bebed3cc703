package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi/httpapitest"
)

var update = flag.Bool("update", false, "rewrite api/openapi.yaml")

var checkedIn = filepath.Join("..", "..", "api", "openapi.yaml")

func TestOpenAPIIsUpToDate(t *testing.T) {
	got, err := httpapi.OpenAPIYAML()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := httpapi.OpenAPIYAML()
	if !bytes.Equal(got, again) {
		t.Fatal("OpenAPIYAML is not deterministic")
	}
	if *update {
		if err := os.WriteFile(checkedIn, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(checkedIn)
	if err != nil {
		t.Fatalf("read %s: %v (run `make openapi`)", checkedIn, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("api/openapi.yaml is stale: run `make openapi` and commit the result")
	}
}

// TestEveryStringAndListIsBounded walks the OpenAPI document: every string
// schema needs maxLength (or an enum), every array maxItems.
func TestEveryStringAndListIsBounded(t *testing.T) {
	for name, api := range map[string]*httpapi.API{
		"production": httpapi.Documented(),
		"with SSE and probes": httpapitest.New(t, httpapitest.Options{Register: func(a *httpapi.API) {
			registerProbes(a)
			registerWatch(a)
		}}).API,
	} {
		b, err := json.Marshal(api.Huma().OpenAPI())
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		var missing []string
		walkSchemas(doc, "#", func(path string, s map[string]any) {
			types := typesOf(s["type"])
			if slices.Contains(types, "string") && s["maxLength"] == nil && s["enum"] == nil && s["const"] == nil {
				missing = append(missing, path+": string without maxLength")
			}
			if slices.Contains(types, "array") && s["maxItems"] == nil {
				missing = append(missing, path+": array without maxItems")
			}
		})
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s: %s", name, m)
		}
	}
	// The walker itself finds an unbounded string.
	var found []string
	walkSchemas(map[string]any{"a": map[string]any{"type": []any{"string", "null"}}}, "#", func(p string, s map[string]any) {
		if s["maxLength"] == nil {
			found = append(found, p)
		}
	})
	if len(found) != 1 {
		t.Errorf("the walker missed an unbounded string: %v", found)
	}
}

func walkSchemas(v any, path string, visit func(string, map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		if len(typesOf(v["type"])) > 0 {
			visit(path, v)
		}
		for k, c := range v {
			walkSchemas(c, path+"/"+k, visit)
		}
	case []any:
		for i, c := range v {
			walkSchemas(c, fmt.Sprintf("%s/%d", path, i), visit)
		}
	}
}

func typesOf(t any) []string {
	switch t := t.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func TestDocumentsAreServed(t *testing.T) {
	env := httpapitest.New(t, httpapitest.Options{})
	get := func(path string) (*http.Response, string) {
		resp, err := env.Server.Client().Get(env.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/openapi.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title string }
		Paths   map[string]any
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/openapi.json: %d %v", resp.StatusCode, err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title != httpapi.Title || doc.Paths["/api/v1/auth/login"] == nil {
		t.Errorf("document: %s %q, %d paths", doc.OpenAPI, doc.Info.Title, len(doc.Paths))
	}
	if resp, body := get("/openapi.yaml"); resp.StatusCode != 200 || !strings.Contains(body, "openapi: 3.1.0") {
		t.Errorf("/openapi.yaml: %d", resp.StatusCode)
	}
	resp, body = get("/docs")
	if resp.StatusCode != 200 || !strings.Contains(body, "create-staff-user") || !strings.Contains(body, "Who may call it") {
		t.Errorf("/docs: %d", resp.StatusCode)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "https://") {
		t.Error("/docs loads something from elsewhere")
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-ID") == "" {
		t.Errorf("security headers missing: %v", resp.Header)
	}
}

func TestHealthz(t *testing.T) {
	var down atomic.Bool
	env := httpapitest.New(t, httpapitest.Options{Ready: func(context.Context) error {
		if down.Load() {
			return errors.New("event store unreachable at 10.1.2.3")
		}
		return nil
	}})
	resp, _ := env.Server.Client().Get(env.Server.URL + "/healthz")
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("ready: %d", resp.StatusCode)
	}
	down.Store(true)
	resp, _ = env.Server.Client().Get(env.Server.URL + "/healthz")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || strings.Contains(string(b), "10.1.2.3") {
		t.Errorf("not ready: %d %s", resp.StatusCode, b)
	}
}
