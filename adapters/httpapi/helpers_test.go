package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
)

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func decodeProblem(t *testing.T, b []byte) httpapi.Problem {
	t.Helper()
	var p httpapi.Problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("not a problem document: %v: %s", err, b)
	}
	return p
}
