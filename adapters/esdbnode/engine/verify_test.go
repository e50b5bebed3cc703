package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestVerifyPassesASoundStore(t *testing.T) {
	dir := t.TempDir()
	e, err := engine.Open(dir, engine.Options{SegmentSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 700; i++ {
		mustAppend(t, e, "s", any_, evs(2)...)
	}
	mustAppend(t, e, "$$s", any_, meta(`{"$maxCount":5}`))
	mustAppend(t, e, "u", noStream, evs(3)...)
	if _, err := e.Delete(context.Background(), "u", any_); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, e, "u", any_, evs(1)...) // undeletes
	if _, err := e.Tombstone(context.Background(), "x", any_); err != nil {
		t.Fatal(err)
	}
	n, head := len(readAll(t, e)), e.Head()
	e.Close()
	rep, err := engine.Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records < n || rep.Head != head || rep.Segments < 2 || rep.Streams != 5 {
		t.Fatalf("report %+v for %d events, head %d", rep, n, head)
	}
}

// Verify finds a flipped byte; Cut at the reported offset saves the rest and
// leaves a store that opens and verifies.
func TestVerifyFindsAFlipAndCutRepairsIt(t *testing.T) {
	dir := t.TempDir()
	all := fillStore(t, dir, engine.Options{}, 50)
	path := lastSegment(t, dir)
	flipByte(t, path, int64(all[30].Position)+40)
	orig, _ := os.ReadFile(path)
	_, err := engine.Verify(dir)
	var ce *engine.CorruptError
	if !errors.As(err, &ce) || ce.File != filepath.Base(path) || ce.Offset != int64(all[30].Position) {
		t.Fatalf("verify: %v", err)
	}
	plan, err := engine.PlanCut(dir, 0, ce.Offset)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Bytes != int64(len(orig))-ce.Offset {
		t.Fatalf("plan %+v", plan)
	}
	saved, err := engine.Cut(plan)
	if err != nil {
		t.Fatal(err)
	}
	side, err := os.ReadFile(fmt.Sprintf("%s.removed-%d", path, ce.Offset))
	if err != nil || len(saved) != 1 || !bytes.Equal(side, orig[ce.Offset:]) {
		t.Fatalf("side file %v (saved %v): %d bytes", err, saved, len(side))
	}
	if _, err := engine.Verify(dir); err != nil {
		t.Fatalf("verify after the cut: %v", err)
	}
	e := open(t, dir, engine.Options{})
	if got := readAll(t, e); len(got) != 30 {
		t.Fatalf("%d events after the cut, want 30", len(got))
	}
}

func TestCutRemovesLaterSegments(t *testing.T) {
	dir := t.TempDir()
	all := fillStore(t, dir, engine.Options{SegmentSize: 64 << 10}, 800)
	if _, err := os.Stat(filepath.Join(dir, "0000000001.seg")); err != nil {
		t.Fatal("test needs two segments")
	}
	plan, err := engine.PlanCut(dir, 0, int64(all[100].Position))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Later) == 0 {
		t.Fatalf("plan %+v keeps later segments", plan)
	}
	if _, err := engine.Cut(plan); err != nil {
		t.Fatal(err)
	}
	for _, f := range plan.Later {
		if _, err := os.Stat(filepath.Join(dir, f+".removed-0")); err != nil {
			t.Fatal(err)
		}
	}
	e := open(t, dir, engine.Options{})
	if got := readAll(t, e); len(got) != 100 {
		t.Fatalf("%d events after the cut, want 100", len(got))
	}
}

func TestPlanCutRejectsOffsetsOutsideTheRecords(t *testing.T) {
	dir := t.TempDir()
	fillStore(t, dir, engine.Options{}, 2)
	for _, off := range []int64{0, 63, 1 << 30} {
		if _, err := engine.PlanCut(dir, 0, off); err == nil {
			t.Fatalf("cut at %d planned", off)
		}
	}
	if _, err := engine.PlanCut(dir, 7, 64); err == nil {
		t.Fatal("cut of a missing segment planned")
	}
}
