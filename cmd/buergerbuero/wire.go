package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/mediabridge"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/adapters/webbridge"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/application/seed"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
)

// product is the application wired to its adapters, with the loops that
// must run beside the HTTP server.
type product struct {
	api     *httpapi.API
	loops   []func(ctx context.Context) error
	closers []func() error
}

// wireProduct builds everything above the event store client by hand:
// registry, store, application, read models, event bus, scheduler, staff
// accounts and the HTTP API.
func wireProduct(ctx context.Context, cfg serveConfig, client *esdb.Client, log *slog.Logger) (*product, error) {
	p := &product{}
	registry, err := eventstore.NewRegistry(application.EventTypes()...)
	if err != nil {
		return nil, err
	}
	key, err := loadOrCreateTokenKey(cfg)
	if err != nil {
		return nil, err
	}
	keyring, err := loadSigningKeys(cfg)
	if err != nil {
		return nil, err
	}
	store, err := eventstore.New(client, registry, eventstore.WithSigner(keyring))
	if err != nil {
		return nil, err
	}
	checkpoints, err := newCheckpointWriter(cfg, store, keyring, log)
	if err != nil {
		return nil, err
	}
	p.loops = append(p.loops, checkpoints.Run)
	blobs, err := blobstore.Open(filepath.Join(cfg.data, "documents"))
	if err != nil {
		return nil, fmt.Errorf("document store: %w", err)
	}
	p.closers = append(p.closers, blobs.Close)

	notifier := readside.NewFanout(64)
	models := readmodel.New(readmodel.Config{Notifier: notifier})
	app, err := application.New(application.Config{
		Store: store, TokenKey: key, Blobs: blobs, Keyring: keyring, Checkpoints: checkpoints,
		Queue: application.QueueReader{Queues: models.Queues, Clock: command.SystemClock{}},
	})
	if err != nil {
		return nil, err
	}

	// Calls: the Pion relay and the calls service that issues join tokens and
	// records call steps on the case. Calls are pinned to this instance.
	bridge, err := mediabridge.New(cfg.media, calls.Config{
		Env:    command.Env{Store: store, Clock: command.SystemClock{}, IDs: command.CryptoIDs{}},
		Tokens: app.Tokens, Logger: log,
	})
	if err != nil {
		return nil, fmt.Errorf("call relay: %w", err)
	}
	p.closers = append(p.closers, bridge.Close)

	// Read models and policies follow $all on two buses: a slow policy
	// (it issues commands) never delays what citizens and clerks see, and a
	// policy waiting for a read model cannot wait for itself. Read models
	// live in memory and rebuild from the start; policies resume from a
	// checkpoint file (they are idempotent, so a stale checkpoint only
	// repeats work).
	codes := webbridge.NewCodeIndex() // appointment codes for the web pages, fed like a read model
	readBus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: store, Types: registry, Handlers: append(models.Handlers(), codes), StreamPrefixes: readmodel.StreamPrefixes, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	policyCheckpoint, err := eventbus.NewFileCheckpoint(filepath.Join(cfg.data, "checkpoints", "policies.json"), time.Second)
	if err != nil {
		return nil, err
	}
	policies := append(policyHandlers(app), bridge.Calls.Handler())
	policyBus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: store, Types: registry, Handlers: policies, StreamPrefixes: streamPrefixes(policies),
		Checkpoints: policyCheckpoint, Logger: log,
		// A policy's effect must not be dropped after a few retries (the
		// checkpoint would move past it): retry with back-off capped at one
		// second for about a day, logging each failure, before giving up.
		MaxRetries: 100_000,
	})
	if err != nil {
		return nil, err
	}
	p.loops = append(p.loops, readBus.Run, policyBus.Run)
	p.closers = append(p.closers, policyCheckpoint.Flush)

	scheduler, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: readside.SystemClock{}, Timers: models.Timers, Actions: app.Timers, Tickers: models.Tickers(),
		Ready:   readBus.Ready(),
		OnError: func(t readside.Timer, err error) { log.Warn("timer action failed", "timer", t.Key(), "err", err) },
	})
	if err != nil {
		return nil, err
	}
	p.loops = append(p.loops, scheduler.Run)

	hasher, err := appstaff.NewHasher(appstaff.DefaultParams, 2)
	if err != nil {
		return nil, err
	}
	staffSvc, err := appstaff.NewService(appstaff.Deps{Store: store, Hasher: hasher, Clock: command.SystemClock{}, IDs: command.CryptoIDs{}})
	if err != nil {
		return nil, err
	}

	ready := func(ctx context.Context) error {
		select {
		case <-readBus.Ready():
			return nil
		default:
			return fmt.Errorf("read models are catching up")
		}
	}
	ports, err := webbridge.New(webbridge.Deps{
		App: app, Models: models, Notifier: notifier, Staff: staffSvc, Store: store,
		Progress: readBus, Codes: codes, Calls: bridge.Calls, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	pages, err := web.New(web.Config{Ports: ports, SessionKey: deriveKey(key, "web-session-v1"), SecureCookies: cfg.secureCookies, Logger: log})
	if err != nil {
		return nil, err
	}
	p.api, err = httpapi.New(httpapi.Config{SecureCookies: cfg.secureCookies, Logger: log}, httpapi.Deps{
		Staff:        httpapi.NewCachedStaff(staffSvc, 0, nil), // every staff request reads the account; cache briefly
		Sessions:     httpapi.NewMemorySessions(httpapi.SessionConfig{}),
		Capabilities: httpapi.TokenCapabilities{Tokens: app.Tokens},
		Ready:        ready,
		Fallback:     pages,
		App:          app,
		Models:       models,
		Changes:      notifier,
		Progress:     readBus,
		Calls:        bridge.Calls,
	})
	if err != nil {
		return nil, err
	}

	if cfg.demo {
		if err := seedDemo(ctx, app, staffSvc, cfg, log); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// policyHandlers turns the application's policies into read-side handlers.
func policyHandlers(app *application.Application) []readside.Handler {
	hs := make([]readside.Handler, 0, len(app.Policies))
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

// seedDemo creates the demo offices and staff users. The password comes from
// BUERGERBUERO_DEMO_PASSWORD, else it is generated and printed once.
func seedDemo(ctx context.Context, app *application.Application, staffSvc *appstaff.Service, cfg serveConfig, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := seed.Run(ctx, app.Commands.EstablishOffice)
	if err != nil {
		return fmt.Errorf("seed demo offices: %w", err)
	}
	var offices []domain.OfficeID
	for _, o := range seed.Offices() {
		offices = append(offices, o.OfficeID)
	}
	demo, err := staffSvc.SeedDemo(ctx, appstaff.DemoOptions{ClerkOffices: offices, Password: cfg.demoPassword})
	if err != nil {
		return fmt.Errorf("seed demo staff: %w", err)
	}
	log.Info("demo data ready", "offices_created", res.Created, "offices_existing", res.Existing)
	if demo.Generated {
		fmt.Fprintf(cfg.stdout, "Demo-Zugänge / demo logins: %v, Passwort / password: %s (only shown now; set %s to choose one)\n",
			demo.Usernames, demo.Password, appstaff.DemoPasswordEnv)
	} else {
		fmt.Fprintf(cfg.stdout, "Demo-Zugänge / demo logins: %v, password from %s\n", demo.Usernames, appstaff.DemoPasswordEnv)
	}
	return nil
}
