package httpapi_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/application"
)

const asyncAPIPath = "../../api/asyncapi.yaml"

// api/asyncapi.yaml is generated from the same registry the event store is
// built with; run this test with -update to rewrite it.
func TestAsyncAPIIsUpToDate(t *testing.T) {
	reg, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := httpapi.AsyncAPIYAML(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"asyncapi: 3.0.0", "VisitKnocked", "VisitAdmitted", "CaseNoteAdded", "watch-visit", "watch-queue", "watch-doors"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("generated AsyncAPI lacks %q", want)
		}
	}
	for _, typ := range reg.Types() {
		if !bytes.Contains(got, []byte("\n    "+typ+":")) && !strings.Contains(string(got), typ+":") {
			t.Errorf("event type %s is not in the document", typ)
		}
	}
	if *update {
		if err := os.WriteFile(asyncAPIPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(asyncAPIPath)
	if err != nil {
		t.Fatalf("read %s: %v (run the test with -update)", asyncAPIPath, err)
	}
	if !bytes.Equal(have, got) {
		t.Fatalf("%s is stale: run `make openapi` (or this test with -update) and commit the result", asyncAPIPath)
	}
}
