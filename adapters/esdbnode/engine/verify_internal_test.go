package engine

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// A well-formed record with a wrong back-link opens (its frame is sound)
// but fails Verify.
func TestVerifyChecksBackLinks(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ev := []ProposedEvent{{ID: uuid.New(), Type: "T", ContentType: "application/json", Data: []byte(`{}`)}}
	for i := 0; i < 3; i++ {
		ev[0].ID = uuid.New()
		if _, err := e.Append(t.Context(), "s", Expected{}, ev); err != nil {
			t.Fatal(err)
		}
	}
	e.Close()
	r := record{flags: flagTxEnd, rev: 3, prev: 12345, id: uuid.New(), stream: "s", typ: "T", ctype: "application/json"}
	f, err := os.OpenFile(filepath.Join(dir, "0000000000"+segmentExt), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(appendFrame(nil, &r)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Verify(dir)
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(ce.Reason, "back-links") {
		t.Fatalf("verify: %v", err)
	}
}
