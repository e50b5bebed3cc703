package eventbus

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

func TestFileCheckpointRoundTripAndThrottle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "policies.json")
	c, err := NewFileCheckpoint(path, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	ctx := context.Background()

	if p, err := c.Load(ctx); err != nil || p != nil {
		t.Fatalf("Load of a missing file = %v, %v; want nil, nil", p, err)
	}
	if err := c.Save(ctx, eventlog.Position{Commit: 10, Prepare: 10}); err != nil {
		t.Fatal(err)
	}
	// Within the interval the file keeps the first position.
	if err := c.Save(ctx, eventlog.Position{Commit: 20, Prepare: 20}); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Load(ctx); p == nil || p.Commit != 10 {
		t.Fatalf("after a throttled save Load = %+v, want commit 10", p)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Load(ctx); p == nil || p.Commit != 20 || p.Prepare != 20 {
		t.Fatalf("after Flush Load = %+v, want commit 20", p)
	}
	// A new instance over the same file resumes there.
	again, err := NewFileCheckpoint(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := again.Load(ctx); p == nil || p.Commit != 20 {
		t.Fatalf("reopened Load = %+v, want commit 20", p)
	}
}

func TestFileCheckpointTreatsDamageAsStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cp.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := NewFileCheckpoint(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A torn file (power loss) restarts from the beginning instead of
	// keeping the service from starting; the handlers are idempotent.
	if p, err := c.Load(context.Background()); err != nil || p != nil {
		t.Fatalf("damaged checkpoint Load = %+v, %v; want nil, nil", p, err)
	}
}
