package eventbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// CheckpointStore keeps the position a Forwarder has published up to.
// In-memory read models are rebuilt on every start, so the default
// (no store) starts from the beginning of $all.
type CheckpointStore interface {
	Load(ctx context.Context) (*eventlog.Position, error)
	Save(ctx context.Context, p eventlog.Position) error
}

// ForwarderConfig configures a Forwarder.
type ForwarderConfig struct {
	Store     eventlog.Store    // required
	Publisher message.Publisher // required
	Types     EventTypes        // required
	Topic     string            // default DefaultTopic
	// StreamPrefixes filters $all (default: every non-system stream).
	StreamPrefixes []string
	Checkpoints    CheckpointStore // optional
	// RetryDelay is the pause before resubscribing after an error (default 1s).
	RetryDelay time.Duration
	Logger     *slog.Logger // default slog.Default()
}

// DefaultTopic is the Watermill topic recorded events are published to.
const DefaultTopic = "buergerbuero.events"

// Validate reports every missing dependency.
func (c ForwarderConfig) Validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("forwarder: event store is required"))
	}
	if c.Publisher == nil {
		errs = append(errs, errors.New("forwarder: publisher is required"))
	}
	if c.Types == nil {
		errs = append(errs, errors.New("forwarder: event types are required"))
	}
	if c.RetryDelay < 0 {
		errs = append(errs, errors.New("forwarder: retry delay must not be negative"))
	}
	return errors.Join(errs...)
}

// Forwarder publishes every recorded event of $all into Watermill, in
// order. With a publisher that returns only once subscribers acknowledged
// (GoChannel with BlockPublishUntilSubscriberAck), its progress is the
// position every handler has applied.
type Forwarder struct {
	cfg      ForwarderConfig
	progress *progress
}

// NewForwarder validates cfg and fills defaults.
func NewForwarder(cfg ForwarderConfig) (*Forwarder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Forwarder{cfg: cfg, progress: newProgress()}, nil
}

// Run follows $all until ctx ends, resubscribing from the last published
// position after an error. It returns nil when ctx ends.
func (f *Forwarder) Run(ctx context.Context) error {
	if f.cfg.Checkpoints != nil {
		p, err := f.cfg.Checkpoints.Load(ctx)
		if err != nil {
			return fmt.Errorf("forwarder: load checkpoint: %w", err)
		}
		if p, err = f.validCheckpoint(ctx, p); err != nil {
			return err
		}
		if p != nil {
			f.progress.advance(*p)
		}
	}
	for {
		var from *eventlog.Position
		if p, ok := f.progress.current(); ok {
			from = &p
		}
		err := f.follow(ctx, from)
		if ctx.Err() != nil {
			return nil
		}
		f.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "eventbus: subscription to $all ended; resubscribing",
			slog.String("error", errorText(err)), slog.Duration("after", f.cfg.RetryDelay))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(f.cfg.RetryDelay):
		}
	}
}

// item is what the subscription hands to the publishing goroutine: an
// event, a checkpoint, or the caught-up mark, in subscription order.
type item struct {
	event      *eventlog.RecordedEvent
	checkpoint *eventlog.Position
	caughtUp   bool
}

// follow runs one subscription. Receiving and decoding (the subscription's
// goroutine) and publishing (this one's) overlap through a buffer, so a
// rebuild uses both; order is kept because one goroutine publishes.
func (f *Forwarder) follow(ctx context.Context, from *eventlog.Position) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	items := make(chan item, 1024)
	published := make(chan error, 1)
	go func() {
		err := f.publishAll(ctx, items)
		if err != nil {
			cancel() // stop the subscription
		}
		published <- err
	}()
	enqueue := func(ctx context.Context, it item) error {
		select {
		case items <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	subErr := f.cfg.Store.SubscribeAll(ctx, from, eventlog.Subscription{
		StreamPrefixes: f.cfg.StreamPrefixes,
		Handle:         func(ctx context.Context, e eventlog.RecordedEvent) error { return enqueue(ctx, item{event: &e}) },
		OnCheckpoint:   func(ctx context.Context, p eventlog.Position) error { return enqueue(ctx, item{checkpoint: &p}) },
		OnCaughtUp:     func(ctx context.Context) { _ = enqueue(ctx, item{caughtUp: true}) },
	})
	close(items)
	if err := <-published; err != nil {
		return err
	}
	return subErr
}

// publishAll publishes items in order until the channel closes or one fails.
func (f *Forwarder) publishAll(ctx context.Context, items <-chan item) error {
	for it := range items {
		var err error
		switch {
		case it.event != nil:
			err = f.publish(ctx, *it.event)
		case it.checkpoint != nil:
			err = f.checkpoint(ctx, *it.checkpoint)
		case it.caughtUp:
			f.progress.caughtUp()
		}
		if err != nil {
			return err // follow cancels the subscription, which closes items
		}
	}
	return nil
}

func (f *Forwarder) publish(ctx context.Context, e eventlog.RecordedEvent) error {
	msg, err := encode(e, f.cfg.Types)
	if err != nil {
		return err
	}
	if !f.progress.isCaughtUp() {
		msg.Metadata[keyReplay] = "true"
	}
	msg.SetContext(withRecorded(ctx, e))
	if err := f.cfg.Publisher.Publish(f.cfg.Topic, msg); err != nil {
		return fmt.Errorf("forwarder: publish %s %s at %d/%d: %w", e.Type, e.ID, e.Position.Commit, e.Position.Prepare, err)
	}
	return f.checkpoint(ctx, e.Position)
}

func (f *Forwarder) checkpoint(ctx context.Context, p eventlog.Position) error {
	f.progress.advance(p)
	if f.cfg.Checkpoints != nil {
		return f.cfg.Checkpoints.Save(ctx, p)
	}
	return nil
}

func errorText(err error) string {
	if err == nil {
		return "ended without error"
	}
	return err.Error()
}
