package checkpointfile_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/checkpointfile"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

func TestLatestIsTheLastCompleteCheckpoint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "checkpoints", "cases.jsonl")
	a, err := checkpointfile.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if cp, err := a.Latest(ctx); cp != nil || err != nil {
		t.Fatalf("empty archive: %v, %v", cp, err)
	}
	for seq := uint64(1); seq <= 2; seq++ {
		if err := a.Save(ctx, eventlog.SignedTreeHead{TreeHead: eventlog.TreeHead{Seq: seq, Root: "r"}}); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString(`{"seq":3,"ro`) // a crash during Save
	_ = f.Close()
	cp, err := a.Latest(ctx)
	if err != nil || cp == nil || cp.Seq != 2 {
		t.Fatalf("latest %+v, %v; want 2", cp, err)
	}
	if err := os.WriteFile(path, []byte("kaputt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Latest(ctx); err == nil {
		t.Fatal("a damaged archive read as fine")
	}
}
