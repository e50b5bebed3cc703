package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// runNodeRepair is `buergerbuero node repair`: it cuts the stopped node's
// log at a point the operator chose (usually the one node check or the
// node's refusal to start named). Without --yes-cut-data it only says what
// it would remove and exits non-zero. What it removes is saved beside the
// segment files first.
func runNodeRepair(_ context.Context, args []string, env environment) error {
	fs := newFlagSet("node repair", "Cuts the event store's log at --at (stop the node first): the rest of that segment and every later segment are removed, after being saved as <file>.removed-<offset>. Without --yes-cut-data it only prints what it would do.", env.stderr)
	data := fs.String("data", "./data/events", "directory of the event store (serve keeps it in <--data>/events)")
	at := fs.String("at", "", "where to cut: <segment file>:<offset>, e.g. 0000000000.seg:81920, as node check reports it")
	yes := fs.Bool("yes-cut-data", false, "really cut; the events after the cut point are no longer in the store")
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	var errs []error
	if *data == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	seg, off, err := parseCutPoint(*at)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return usageError(errors.Join(errs...))
	}
	plan, err := engine.PlanCut(*data, seg, off)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%d bytes of %s from offset %d", plan.Bytes, plan.File, plan.Offset)
	if len(plan.Later) > 0 {
		what += fmt.Sprintf(" and the later segments %s", strings.Join(plan.Later, ", "))
	}
	if !*yes {
		fmt.Fprintf(env.stdout, "would cut %s in %s, saving them beside the files as <file>.removed-<offset>\n", what, *data)
		return errors.New("nothing cut: run again with --yes-cut-data to cut")
	}
	saved, err := engine.Cut(plan)
	if err != nil {
		return err
	}
	savedTo := "nothing (the cut bytes were all zero)"
	if len(saved) > 0 {
		savedTo = strings.Join(saved, ", ")
	}
	fmt.Fprintf(env.stdout, "cut %s; saved to %s; check with: buergerbuero node check --data %s\n", what, savedTo, *data)
	return nil
}

// parseCutPoint reads <segment file or index>:<offset>.
func parseCutPoint(s string) (int64, int64, error) {
	file, offText, ok := strings.Cut(s, ":")
	if !ok || file == "" || offText == "" {
		return 0, 0, fmt.Errorf("--at %q: want <segment file>:<offset>, e.g. 0000000000.seg:81920", s)
	}
	seg, err := strconv.ParseInt(strings.TrimSuffix(filepath.Base(file), ".seg"), 10, 64)
	if err != nil || seg < 0 {
		return 0, 0, fmt.Errorf("--at %q: segment %q is not a segment file name", s, file)
	}
	off, err := strconv.ParseInt(offText, 10, 64)
	if err != nil || off < 0 {
		return 0, 0, fmt.Errorf("--at %q: offset %q is not a number", s, offText)
	}
	return seg, off, nil
}
