// Package system builds the whole product from its parts: the event store
// adapter over the official client, the application, the read models and
// policies on their two event buses, the scheduler, staff accounts, the call
// relay, and the one HTTP handler (API and pages). It is the only place that
// wires the system: `buergerbuero serve`, the end-to-end stack and every
// integration harness call New, so tests run the topology production runs.
//
// It holds no rules and reads no events itself; it must not grow business
// logic: what it builds decides, it only connects.
package system

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/checkpointfile"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/media"
	"github.com/buergerbuero/buergerbuero/adapters/mediabridge"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/webbridge"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
)

// Config is what differs between installations (and between production
// and a test). Zero values run on a laptop.
type Config struct {
	// DataDir holds the case documents (documents/) and the policies'
	// checkpoint (checkpoints/). Required.
	DataDir string
	// TokenKey is the secret (≥ 32 bytes) that derives citizens' capability
	// tokens; the pages' keys are derived from it too. Required.
	TokenKey []byte
	// Media configures the call relay.
	Media media.Config
	// Now is the clock of every part (default: the system clock).
	Now func() time.Time
	// Logger receives operational logs, never personal data (default: discard).
	Logger *slog.Logger
	// SecureCookies marks session cookies Secure without TLS on this hop.
	SecureCookies bool
	// Ready adds a readiness condition to /healthz (e.g. the node's write
	// health); the read models' catch-up is always one.
	Ready func(ctx context.Context) error
	// HTTP adjusts the API's settings (rate limits, heartbeat, …); its Now,
	// Logger and SecureCookies are set from the fields above.
	HTTP httpapi.Config
	// PageHeartbeat is the pages' SSE keep-alive interval (default 15 s).
	PageHeartbeat time.Duration
	// Hashing is the staff password hash cost (default appstaff.DefaultParams).
	Hashing appstaff.Params
	// Signing signs every chained event (cases, audit logs, checkpoints)
	// and verifies them (ADR-0007). Only component tests may leave it nil:
	// their history is then unsigned and signatures are not checked.
	Signing *eventlog.Keyring
	// CheckpointInterval is how often a signed checkpoint of every case's
	// head is written (default 1 min; also once on a graceful stop).
	CheckpointInterval time.Duration
	// StaffCache is how long a staff account is cached per request
	// (default: the API's default; negative: no cache).
	StaffCache time.Duration
}

// Validate joins every problem of c.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("system: DataDir is required"))
	}
	if len(c.TokenKey) < 32 {
		errs = append(errs, errors.New("system: TokenKey needs at least 32 bytes"))
	}
	return errors.Join(errs...)
}

// System is the wired product. Run its loops beside the HTTP server; Close
// releases everything (the cleanup New returns calls it).
type System struct {
	// Handler is the one HTTP front door: API, pages, health, docs.
	Handler http.Handler
	App     *application.Application
	Models  *readmodel.Models
	Staff   *appstaff.Service
	// Sessions are the API's staff sessions.
	Sessions *httpapi.MemorySessions
	// Changes notifies live views of read-model changes.
	Changes *readside.Fanout
	Calls   *calls.Service
	Relay   *media.Relay
	// Ports are what the pages call.
	Ports web.Ports
	// Store is the event store port the application writes through.
	Store eventlog.Store
	// Checkpoints signs checkpoints of every case's head (nil without
	// Config.Signing).
	Checkpoints *audit.CheckpointWriter

	readBus *eventbus.Bus
	codes   *webbridge.CodeIndex
	loops   []func(ctx context.Context) error
	closers []func() error
}

// New wires the product on the official event store client (the embedded
// node or a KurrentDB cluster). The cleanup closes what New opened; the
// client stays the caller's.
func New(ctx context.Context, cfg Config, client *esdb.Client) (*System, func() error, error) {
	registry, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		return nil, nil, err
	}
	var opts []eventstore.Option
	if cfg.Signing != nil {
		opts = append(opts, eventstore.WithSigner(cfg.Signing))
	}
	store, err := eventstore.New(client, registry, opts...)
	if err != nil {
		return nil, nil, err
	}
	return build(ctx, cfg, store, registry)
}

// NewWithStore wires the same product on another event store, e.g. an
// in-memory one for component tests. Only the store differs from New.
func NewWithStore(ctx context.Context, cfg Config, store eventlog.Store) (*System, func() error, error) {
	registry, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		return nil, nil, err
	}
	return build(ctx, cfg, store, registry)
}

func build(_ context.Context, cfg Config, store eventlog.Store, types eventbus.EventTypes) (_ *System, _ func() error, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Hashing == (appstaff.Params{}) {
		cfg.Hashing = appstaff.DefaultParams
	}
	log := cfg.Logger
	clock := command.ClockFunc(cfg.Now)
	s := &System{Store: store}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()

	blobs, err := blobstore.Open(filepath.Join(cfg.DataDir, "documents"))
	if err != nil {
		return nil, nil, fmt.Errorf("document store: %w", err)
	}
	s.closers = append(s.closers, blobs.Close)

	appCfg := application.Config{Store: store, TokenKey: cfg.TokenKey, Blobs: blobs, Clock: clock, Keyring: cfg.Signing}
	if cfg.Signing != nil {
		checkpoints, err := s.checkpointWriter(cfg, store, clock)
		if err != nil {
			return nil, nil, err
		}
		appCfg.Checkpoints = checkpoints
	}
	s.Changes = readside.NewFanout(64)
	s.Models = readmodel.New(readmodel.Config{Notifier: s.Changes})
	appCfg.Queue = application.QueueReader{Queues: s.Models.Queues, Clock: clock}
	s.App, err = application.New(appCfg)
	if err != nil {
		return nil, nil, err
	}

	// Calls: the Pion relay and the calls service that issues join tokens and
	// records call steps on the case. Calls are pinned to this instance.
	bridge, err := mediabridge.New(cfg.Media, calls.Config{
		Env:    command.Env{Store: store, Clock: clock, IDs: command.CryptoIDs{}},
		Tokens: s.App.Tokens, Logger: log,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("call relay: %w", err)
	}
	s.closers = append(s.closers, bridge.Close)
	s.Calls, s.Relay = bridge.Calls, bridge.Media

	if err := s.buses(cfg, store, types, bridge.Calls.Handler()); err != nil {
		return nil, nil, err
	}

	hasher, err := appstaff.NewHasher(cfg.Hashing, 2)
	if err != nil {
		return nil, nil, err
	}
	s.Staff, err = appstaff.NewService(appstaff.Deps{Store: store, Hasher: hasher, Clock: clock, IDs: command.CryptoIDs{}})
	if err != nil {
		return nil, nil, err
	}
	if err := s.frontDoor(cfg); err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// checkpointWriter builds the loop that signs a checkpoint of every case's
// head each interval, into the event store and the archive
// <data>/checkpoints/cases.jsonl, kept apart from the store (ADR-0007).
func (s *System) checkpointWriter(cfg Config, store eventlog.Store, clock command.Clock) (*audit.CheckpointWriter, error) {
	archive, err := checkpointfile.Open(filepath.Join(cfg.DataDir, "checkpoints", "cases.jsonl"))
	if err != nil {
		return nil, err
	}
	interval := cfg.CheckpointInterval
	if interval <= 0 {
		interval = time.Minute
	}
	w, err := audit.NewCheckpointWriter(audit.CheckpointWriterConfig{
		Store: store, Keyring: cfg.Signing, Archive: archive, Clock: clock, IDs: command.CryptoIDs{},
		Interval: interval,
		OnError:  func(err error) { cfg.Logger.Error("case checkpoint", "err", err) },
	})
	if err != nil {
		return nil, err
	}
	s.loops = append(s.loops, w.Run)
	s.Checkpoints = w
	return w, nil
}

// buses connects read models and policies to $all on two buses: a slow
// policy (it issues commands) never delays what citizens and clerks see,
// and a policy waiting for a read model cannot wait for itself. Read models
// live in memory and rebuild from the start; policies resume from a
// checkpoint file (they are idempotent, so a stale checkpoint only repeats
// work). The scheduler starts once the read models have caught up.
func (s *System) buses(cfg Config, store eventlog.Store, types eventbus.EventTypes, closeRooms readside.Handler) error {
	log := cfg.Logger
	codes := webbridge.NewCodeIndex() // appointment codes for the pages, fed like a read model
	readBus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: store, Types: types, Handlers: append(s.Models.Handlers(), codes), StreamPrefixes: readmodel.StreamPrefixes, Logger: log,
	})
	if err != nil {
		return err
	}
	s.readBus = readBus
	checkpoint, err := eventbus.NewFileCheckpoint(filepath.Join(cfg.DataDir, "checkpoints", "policies.json"), time.Second)
	if err != nil {
		return err
	}
	policies := append(policyHandlers(s.App), closeRooms)
	policyBus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: store, Types: types, Handlers: policies, StreamPrefixes: streamPrefixes(policies),
		Checkpoints: checkpoint, Logger: log,
		// A policy's effect must not be dropped after a few retries (the
		// checkpoint would move past it): retry with back-off capped at one
		// second for about a day, logging each failure, before giving up.
		MaxRetries: 100_000,
	})
	if err != nil {
		return err
	}
	s.loops = append(s.loops, readBus.Run, policyBus.Run)
	s.closers = append(s.closers, checkpoint.Flush)

	scheduler, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: command.ClockFunc(cfg.Now), Timers: s.Models.Timers, Actions: s.App.Timers, Tickers: s.Models.Tickers(),
		Ready:   readBus.Ready(),
		OnError: func(t readside.Timer, err error) { log.Warn("timer action failed", "timer", t.Key(), "err", err) },
	})
	if err != nil {
		return err
	}
	s.loops = append(s.loops, scheduler.Run)
	s.codes = codes
	return nil
}

// frontDoor builds the pages and the API around them: one handler.
func (s *System) frontDoor(cfg Config) error {
	log := cfg.Logger
	ports, err := webbridge.New(webbridge.Deps{
		App: s.App, Models: s.Models, Notifier: s.Changes, Staff: s.Staff, Store: s.Store,
		Progress: s.readBus, Codes: s.codes, Calls: s.Calls, Now: cfg.Now, Logger: log,
	})
	if err != nil {
		return err
	}
	s.Ports = ports
	pages, err := web.New(web.Config{
		Ports: ports, SecureCookies: cfg.SecureCookies, Now: cfg.Now, Logger: log, Heartbeat: cfg.PageHeartbeat,
	})
	if err != nil {
		return err
	}
	var staff httpapi.StaffService = s.Staff
	if cfg.StaffCache >= 0 {
		staff = httpapi.NewCachedStaff(s.Staff, cfg.StaffCache, cfg.Now) // every staff request reads the account; cache briefly
	}
	s.Sessions = httpapi.NewMemorySessions(httpapi.SessionConfig{Now: cfg.Now})
	httpCfg := cfg.HTTP
	httpCfg.Now, httpCfg.Logger, httpCfg.SecureCookies = cfg.Now, log, cfg.SecureCookies
	api, err := httpapi.New(httpCfg, httpapi.Deps{
		Staff:        staff,
		Sessions:     s.Sessions,
		Capabilities: httpapi.TokenCapabilities{Tokens: s.App.Tokens},
		Ready:        s.ready(cfg.Ready),
		Pages:        pages,
		App:          s.App,
		Models:       s.Models,
		Changes:      s.Changes,
		Progress:     s.readBus,
		Calls:        s.Calls,
	})
	if err != nil {
		return err
	}
	s.Handler = api.Handler()
	return nil
}

// ready is /healthz: the read models have caught up and extra (if any)
// holds.
func (s *System) ready(extra func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		select {
		case <-s.readBus.Ready():
		default:
			return errors.New("read models are catching up")
		}
		if extra != nil {
			return extra(ctx)
		}
		return nil
	}
}

// CaughtUp is closed once the read models have applied the backlog of $all.
func (s *System) CaughtUp() <-chan struct{} { return s.readBus.Ready() }

// Run runs the loops (event buses, scheduler) until ctx ends or one fails;
// it returns the first failure, nil when ctx ended.
func (s *System) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(s.loops))
	for _, loop := range s.loops {
		go func() {
			err := loop(ctx)
			if ctx.Err() != nil {
				err = nil
			}
			errc <- err
		}()
	}
	var first error
	for range s.loops {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// Close releases what the system opened, last opened first.
func (s *System) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// policyHandlers turns the application's policies into read-side handlers.
func policyHandlers(app *application.Application) []readside.Handler {
	hs := make([]readside.Handler, 0, len(app.Policies)+1)
	for _, pol := range app.Policies {
		hs = append(hs, pol)
	}
	return hs
}

// streamPrefixes is every stream category one of the handlers reads; a
// handler that does not say reads everything.
func streamPrefixes(handlers []readside.Handler) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range handlers {
		ps, ok := h.(interface{ StreamPrefixes() []string })
		if !ok {
			return nil // default filter: every non-system stream
		}
		for _, p := range ps.StreamPrefixes() {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
