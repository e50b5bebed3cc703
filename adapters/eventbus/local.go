package eventbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// LocalConfig configures NewLocal.
type LocalConfig struct {
	Store    eventlog.Store     // required
	Types    EventTypes         // required (*eventstore.Registry)
	Handlers []readside.Handler // required
	// StreamPrefixes filters $all (default: every non-system stream).
	StreamPrefixes []string
	// Checkpoints is optional: in-memory read models rebuild from the start.
	Checkpoints   CheckpointStore
	MaxRetries    int           // per message, default 3
	RetryInterval time.Duration // first back-off, default 10ms
	// ResubscribeDelay is the pause before following $all again after the
	// subscription failed (default 1s).
	ResubscribeDelay time.Duration
	Logger           *slog.Logger // default slog.Default()
}

// Bus is the read side's event delivery on one machine: a Forwarder
// publishing into an in-process GoChannel and a Router delivering to the
// handlers. A publish returns only once every handler acknowledged, so
// events reach each handler in $all order and the forwarder's progress is
// what every read model includes. In process the message context keeps the
// event the forwarder decoded, so the router need not decode it again.
type Bus struct {
	pubsub    *gochannel.GoChannel
	router    *message.Router
	forwarder *Forwarder
}

// NewLocal builds a Bus over GoChannel.
func NewLocal(cfg LocalConfig) (*Bus, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ps := gochannel.NewGoChannel(gochannel.Config{BlockPublishUntilSubscriberAck: true, PreserveContext: true}, quietLogger(cfg.Logger))
	fw, ferr := NewForwarder(ForwarderConfig{
		Store: cfg.Store, Publisher: ps, Types: cfg.Types,
		StreamPrefixes: cfg.StreamPrefixes, Checkpoints: cfg.Checkpoints, Logger: cfg.Logger, RetryDelay: cfg.ResubscribeDelay,
	})
	r, rerr := NewRouter(RouterConfig{
		Subscriber: ps, Publisher: ps, Types: cfg.Types, Handlers: cfg.Handlers,
		MaxRetries: cfg.MaxRetries, RetryInterval: cfg.RetryInterval, Logger: cfg.Logger,
	})
	if err := errors.Join(ferr, rerr); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("eventbus: %w", err)
	}
	return &Bus{pubsub: ps, router: r, forwarder: fw}, nil
}

// Run starts the router, then follows $all, until ctx ends or the router
// stops on its own (then nothing would receive the events, so following
// stops too and Run returns an error); finally it stops the router and
// closes the in-process pub/sub. Call it once.
func (b *Bus) Run(ctx context.Context) error {
	routerCtx, stopRouter := context.WithCancel(context.Background())
	defer stopRouter()
	routerDone := make(chan error, 1)
	go func() { routerDone <- b.router.Run(routerCtx) }()
	defer func() { _ = b.pubsub.Close() }()
	select {
	case <-b.router.Running():
	case err := <-routerDone:
		return fmt.Errorf("eventbus: router stopped before it ran: %w", err)
	case <-ctx.Done():
		stopRouter()
		<-routerDone
		return nil
	}
	fwCtx, stopForwarder := context.WithCancel(ctx)
	defer stopForwarder()
	forwarded := make(chan error, 1)
	go func() { forwarded <- b.forwarder.Run(fwCtx) }()
	select {
	case err := <-forwarded:
		stopRouter()
		if rerr := <-routerDone; rerr != nil && err == nil {
			err = fmt.Errorf("eventbus: router: %w", rerr)
		}
		return err
	case rerr := <-routerDone:
		stopForwarder()
		<-forwarded
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("eventbus: router stopped while following $all: %w", errors.Join(rerr, errRouterStopped))
	}
}

var errRouterStopped = errors.New("router stopped")

// Ready is closed once the backlog of $all (as it was when Run subscribed)
// has been applied by every handler: the HTTP layer reports readiness then.
func (b *Bus) Ready() <-chan struct{} { return b.forwarder.progress.ready }

// WaitFor blocks until every handler has applied $all up to p (e.g. the
// position an append returned), or ctx ends: read-your-writes for the API.
// Never call it from inside a handler of the same bus (a policy's command):
// the bus waits for that handler, so it would wait for itself until ctx
// ends. Run policies on a second Bus so a slow command never delays the
// read models either.
func (b *Bus) WaitFor(ctx context.Context, p eventlog.Position) error {
	return b.forwarder.progress.waitFor(ctx, p)
}

// Position returns the position every handler has applied; ok is false
// before the first event.
func (b *Bus) Position() (eventlog.Position, bool) { return b.forwarder.progress.current() }

// Ready and WaitFor are also available on a Forwarder run on its own.

// Ready is closed once the forwarder has published the backlog.
func (f *Forwarder) Ready() <-chan struct{} { return f.progress.ready }

// WaitFor blocks until the forwarder has published (and, with an
// acknowledging publisher, every handler has applied) up to p.
func (f *Forwarder) WaitFor(ctx context.Context, p eventlog.Position) error {
	return f.progress.waitFor(ctx, p)
}
