package engine_test

import (
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestOptionsValidate(t *testing.T) {
	if err := (engine.Options{}).Validate(); err != nil {
		t.Fatalf("zero options: %v", err)
	}
	bad := engine.Options{SegmentSize: 100, MaxAppendSize: 1 << 30, RecentIDs: -1}
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad options accepted")
	}
	for _, want := range []string{"segment size", "max append size", "recent IDs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q not reported in %v", want, err)
		}
	}
	if _, err := engine.Open(t.TempDir(), bad); err == nil {
		t.Fatal("Open accepted bad options")
	}
}
