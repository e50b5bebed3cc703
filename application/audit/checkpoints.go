package audit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// CheckpointedPrefixes are the chained streams a checkpoint covers.
var CheckpointedPrefixes = []string{"case-", "auditlog-"}

// Archive keeps a copy of every checkpoint outside the event store, so a
// rollback of the checkpoint stream is noticed.
type Archive interface {
	Save(ctx context.Context, cp eventlog.SignedTreeHead) error
	// Latest returns the newest archived checkpoint, nil if there is none.
	Latest(ctx context.Context) (*eventlog.SignedTreeHead, error)
}

// CheckpointWriterConfig configures a CheckpointWriter.
type CheckpointWriterConfig struct {
	Store    eventlog.Store
	Keyring  *eventlog.Keyring // signs checkpoints, verifies the checkpoint stream
	Archive  Archive           // optional: a copy outside the store
	Clock    command.Clock
	IDs      command.IDs
	Interval time.Duration // default 1 minute
	// OnError reports a problem that does not stop the writer (a failed
	// write, a rewritten stream); optional.
	OnError func(error)
}

// CheckpointWriter follows every chained stream's head and periodically
// appends a signed checkpoint (the Merkle root over all heads) to
// CheckpointStream and the archive. A checkpoint never moves a head back:
// a stream that lost events keeps its old head, so verification shows the
// loss. It implements Checkpoints for the audit use cases.
type CheckpointWriter struct {
	cfg   CheckpointWriterConfig
	write sync.Mutex // one checkpoint at a time

	restoredCh chan struct{} // closed once Restore succeeded

	mu       sync.Mutex
	restored bool
	caughtUp bool
	current  map[string]eventlog.Head // heads seen in $all
	done     map[string]eventlog.Head // heads in the last checkpoint
	tree     *eventlog.Tree
	last     *eventlog.SignedTreeHead
}

// NewCheckpointWriter refuses an incomplete config.
func NewCheckpointWriter(cfg CheckpointWriterConfig) (*CheckpointWriter, error) {
	if cfg.Store == nil || cfg.Keyring == nil || cfg.Clock == nil || cfg.IDs == nil {
		return nil, errors.New("audit: checkpoint writer needs a store, keyring, clock and IDs")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.OnError == nil {
		cfg.OnError = func(error) {}
	}
	return &CheckpointWriter{cfg: cfg, current: map[string]eventlog.Head{}, done: map[string]eventlog.Head{}, restoredCh: make(chan struct{})}, nil
}

// Run restores the last checkpoint, follows $all and writes a checkpoint
// every interval, and a last one when ctx ends.
func (w *CheckpointWriter) Run(ctx context.Context) error {
	if err := w.Restore(ctx); err != nil {
		return err
	}
	subErr := make(chan error, 1)
	go func() {
		subErr <- w.cfg.Store.SubscribeAll(ctx, nil, w.Subscription())
	}()
	tick := time.NewTicker(w.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := w.Checkpoint(final); err != nil {
				w.cfg.OnError(err)
			}
			return nil
		case err := <-subErr:
			if err != nil && ctx.Err() == nil {
				return fmt.Errorf("checkpoints: follow $all: %w", err)
			}
			subErr = nil // a store whose subscription ends (tests): keep ticking
		case <-tick.C:
			if err := w.Checkpoint(ctx); err != nil {
				w.cfg.OnError(err)
			}
		}
	}
}

// Subscription follows the heads of the checkpointed streams.
func (w *CheckpointWriter) Subscription() eventlog.Subscription {
	return eventlog.Subscription{
		StreamPrefixes: CheckpointedPrefixes,
		Handle: func(_ context.Context, e eventlog.RecordedEvent) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			if h, ok := w.current[e.Stream]; !ok || e.Revision >= h.Revision {
				w.current[e.Stream] = eventlog.Head{Stream: e.Stream, Revision: e.Revision, Hash: eventlog.Hash(e)}
			}
			return nil
		},
		OnCaughtUp: func(context.Context) {
			w.mu.Lock()
			w.caughtUp = true
			w.mu.Unlock()
		},
	}
}

// Restore reads the checkpoint stream, verifies it (chain, signatures, the
// last root) and compares it with the archive: a store whose latest
// checkpoint is older than the archived one was rolled back.
func (w *CheckpointWriter) Restore(ctx context.Context) error {
	evs, err := w.cfg.Store.Load(ctx, CheckpointStream)
	if err != nil && !errors.Is(err, eventlog.ErrStreamNotFound) {
		return fmt.Errorf("checkpoints: %w", err)
	}
	if v := VerifyEvidence(Evidence{Stream: CheckpointStream, Events: evs, Keys: w.cfg.Keyring.Public()}); !v.Intact {
		return fmt.Errorf("checkpoints: stream %s: %v", CheckpointStream, v.Break)
	}
	done := map[string]eventlog.Head{}
	var last *eventlog.SignedTreeHead
	for _, e := range evs {
		cp, ok := e.Event.(CasesCheckpointed)
		if !ok {
			return fmt.Errorf("checkpoints: unexpected %s at revision %d", e.Type, e.Revision)
		}
		for _, h := range cp.Changed {
			done[h.Stream] = h
		}
		last = &cp.Checkpoint
	}
	tree, err := eventlog.NewTree(slices.Collect(maps.Values(done)))
	if err != nil {
		return err
	}
	if last != nil {
		if root, err := tree.Root(); err != nil || root != last.Root || tree.Size() != last.Size {
			return fmt.Errorf("checkpoints: checkpoint %d does not match the heads recorded before it", last.Seq)
		}
	}
	if w.cfg.Archive != nil {
		arch, err := w.cfg.Archive.Latest(ctx)
		if err != nil {
			return fmt.Errorf("checkpoints: archive: %w", err)
		}
		if err := compareArchive(arch, last); err != nil {
			return err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.restored {
		close(w.restoredCh)
	}
	w.done, w.tree, w.last, w.restored = done, tree, last, true
	return nil
}

func compareArchive(arch, last *eventlog.SignedTreeHead) error {
	switch {
	case arch == nil:
		return nil
	case last == nil || arch.Seq > last.Seq:
		got := uint64(0)
		if last != nil {
			got = last.Seq
		}
		return fmt.Errorf("checkpoints: the archive holds checkpoint %d but the event store only %d: the store was rolled back", arch.Seq, got)
	case arch.Seq == last.Seq && arch.ID() != last.ID():
		return fmt.Errorf("checkpoints: checkpoint %d differs between the archive and the event store", arch.Seq)
	}
	return nil
}

// Checkpoint writes a checkpoint if a head moved since the last one.
func (w *CheckpointWriter) Checkpoint(ctx context.Context) error {
	w.write.Lock()
	defer w.write.Unlock()
	w.mu.Lock()
	if !w.restored || !w.caughtUp {
		w.mu.Unlock()
		return nil
	}
	next := maps.Clone(w.done)
	var changed []eventlog.Head
	var errs []error
	for s, h := range w.current {
		d, ok := w.done[s]
		switch {
		case !ok || h.Revision > d.Revision:
			next[s] = h
			changed = append(changed, h)
		case h.Revision == d.Revision && h.Hash != d.Hash:
			errs = append(errs, fmt.Errorf("checkpoints: %s revision %d differs from the checkpointed one: the stream was rewritten", s, h.Revision))
		}
	}
	last := w.last
	w.mu.Unlock()
	if len(changed) == 0 {
		return errors.Join(errs...)
	}
	slices.SortFunc(changed, func(a, b eventlog.Head) int { return strings.Compare(a.Stream, b.Stream) })
	tree, err := eventlog.NewTree(slices.Collect(maps.Values(next)))
	if err != nil {
		return err
	}
	root, err := tree.Root()
	if err != nil {
		return err
	}
	th := eventlog.TreeHead{Seq: 1, Time: w.cfg.Clock.Now().UTC(), Size: tree.Size(), Root: root}
	if last != nil {
		th.Seq, th.Prev = last.Seq+1, last.ID()
	}
	signed := eventlog.SignTreeHead(th, w.cfg.Keyring)
	id := w.cfg.IDs.NewUUID()
	actor, _ := domain.NewActor(domain.RoleSystem, "checkpoint-writer")
	meta := eventlog.Metadata{CorrelationID: id, CausationID: id, Actor: actor, OccurredAt: th.Time}
	if err := appendChained(ctx, w.cfg.Store, CheckpointStream, eventlog.NewEvent{ID: id, Event: CasesCheckpointed{Checkpoint: signed, Changed: changed}, Meta: meta}); err != nil {
		return errors.Join(append(errs, fmt.Errorf("checkpoints: write %d: %w", th.Seq, err))...)
	}
	w.mu.Lock()
	w.done, w.tree, w.last = next, tree, &signed
	w.mu.Unlock()
	if w.cfg.Archive != nil {
		if err := w.cfg.Archive.Save(ctx, signed); err != nil {
			errs = append(errs, fmt.Errorf("checkpoints: archive %d: %w", th.Seq, err))
		}
	}
	return errors.Join(errs...)
}

// Latest implements Checkpoints. Until Restore has read the checkpoint
// stream (right after start) it waits, so no verification runs without the
// latest checkpoint.
func (w *CheckpointWriter) Latest(ctx context.Context, stream string) (*eventlog.SignedTreeHead, *eventlog.Inclusion, error) {
	select {
	case <-w.restoredCh:
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("audit: checkpoints still loading: %w", ctx.Err())
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.last == nil {
		return nil, nil, nil
	}
	cp := *w.last
	in, ok, err := w.tree.Prove(stream)
	if err != nil || !ok {
		return &cp, nil, err
	}
	return &cp, &in, nil
}
