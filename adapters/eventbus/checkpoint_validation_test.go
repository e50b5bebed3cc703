package eventbus_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// TestCheckpointAheadOfTheStoreIsResetAndNothingIsSkipped writes a policy
// checkpoint far past the end of $all (as after a cut log or events/
// restored from an older backup than checkpoints/): the forwarder must log
// the file and both positions and replay from the start, so the handler
// sees every stored event and later live ones, instead of skipping them.
func TestCheckpointAheadOfTheStoreIsResetAndNothingIsSkipped(t *testing.T) {
	nd := startNode(t, t.TempDir())
	evs := readmodeltest.Scenario{Seed: 3, Offices: 1, Visits: 3, Day: scenarioDay}.Generate()
	end := appendAll(t, nd.store, evs)

	path := filepath.Join(t.TempDir(), "checkpoints", "policies.json")
	ahead := eventlog.Position{Commit: end.Commit + 1_000_000, Prepare: end.Prepare + 1_000_000}
	writeCheckpoint(t, path, ahead)
	cp, err := eventbus.NewFileCheckpoint(path, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	r := &recorder{name: "policy"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: nd.store, Types: nd.reg, Handlers: []readside.Handler{r}, Checkpoints: cp,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)
	if got := len(r.events()); got != len(evs) {
		t.Fatalf("after a checkpoint ahead of the store the handler got %d events, want all %d", got, len(evs))
	}
	line := logs.String()
	for _, want := range []string{"level=ERROR", "past the end of $all", path, fmt.Sprintf("%d/%d", ahead.Commit, ahead.Prepare), fmt.Sprintf("%d/%d", end.Commit, end.Prepare)} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q does not contain %q", line, want)
		}
	}

	// A live event after the reset reaches the handler too.
	last := appendAll(t, nd.store, evs[:1])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := bus.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	if got := len(r.events()); got != len(evs)+1 {
		t.Fatalf("live event after the reset: handler has %d events, want %d", got, len(evs)+1)
	}
}

// TestCheckpointWithinTheStoreResumesAfterIt keeps the normal case: a
// checkpoint inside $all resumes after it, without a log line.
func TestCheckpointWithinTheStoreResumesAfterIt(t *testing.T) {
	nd := startNode(t, t.TempDir())
	evs := readmodeltest.Scenario{Seed: 3, Offices: 1, Visits: 3, Day: scenarioDay}.Generate()
	mid := appendAll(t, nd.store, evs)
	more := appendAll(t, nd.store, evs[:1])

	path := filepath.Join(t.TempDir(), "policies.json")
	writeCheckpoint(t, path, mid)
	cp, err := eventbus.NewFileCheckpoint(path, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	r := &recorder{name: "policy"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: nd.store, Types: nd.reg, Handlers: []readside.Handler{r}, Checkpoints: cp,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)
	got := r.events()
	if len(got) != 1 || got[0].Position != more {
		t.Fatalf("resuming after %v the handler got %d events, want only the one at %v", mid, len(got), more)
	}
	if strings.Contains(logs.String(), "past the end") {
		t.Errorf("a valid checkpoint was reported as past the end: %s", logs.String())
	}
}

func writeCheckpoint(t *testing.T, path string, p eventlog.Position) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(fmt.Sprintf(`{"commit":%d,"prepare":%d}`, p.Commit, p.Prepare)), 0o600); err != nil {
		t.Fatal(err)
	}
}
