package eventbus

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// EndOfAll is implemented by event stores that can tell where $all ends
// (adapters/eventstore, memstore). A Forwarder with a CheckpointStore checks
// the loaded checkpoint against it before following $all.
type EndOfAll interface {
	// EndOfAll returns the position of the last event in $all; ok is false
	// when $all is empty.
	EndOfAll(ctx context.Context) (end eventlog.Position, ok bool, err error)
}

// validCheckpoint returns the checkpoint to resume from. A checkpoint past
// the end of $all (the data was cut, or events/ was restored from an older
// backup than checkpoints/) would make the subscription skip every event
// until the store grew past it, so the handlers behind it (policies) would
// silently miss work. Such a checkpoint is reset to the start of $all with
// one error log line naming the checkpoint and both positions: the
// handlers are idempotent, so replaying repeats nothing that was done and
// redoes what the cut lost.
func (f *Forwarder) validCheckpoint(ctx context.Context, p *eventlog.Position) (*eventlog.Position, error) {
	if p == nil {
		return nil, nil
	}
	ends, ok := f.cfg.Store.(EndOfAll)
	if !ok {
		return p, nil
	}
	end, any, err := ends.EndOfAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("forwarder: read the end of $all to check the checkpoint: %w", err)
	}
	if any && !readside.Before(end, *p) {
		return p, nil
	}
	f.cfg.Logger.LogAttrs(ctx, slog.LevelError,
		"eventbus: checkpoint is past the end of $all (data cut or restored from an older backup); replaying $all from the start",
		slog.String("checkpoint", fmt.Sprint(f.cfg.Checkpoints)),
		slog.String("checkpoint_position", positionText(*p)),
		slog.String("end_of_all", endText(end, any)))
	return nil, nil
}

func positionText(p eventlog.Position) string { return fmt.Sprintf("%d/%d", p.Commit, p.Prepare) }

func endText(p eventlog.Position, any bool) string {
	if !any {
		return "empty"
	}
	return positionText(p)
}
