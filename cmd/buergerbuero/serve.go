package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

// serveConfig is the validated configuration of `buergerbuero serve`.
type serveConfig struct {
	http       string // HTTP listen address
	data       string // data directory (event store, blobs)
	eventstore string // esdb:// URL of an external node or cluster; empty: embedded node
	nodeListen string // listen address of the embedded node
	demo       bool   // seed demo offices and staff
	// demoPassword is BUERGERBUERO_DEMO_PASSWORD (empty: generate one).
	demoPassword string
	// tokenKeyFile holds the secret that derives citizens' capability
	// tokens; created on first start. Several instances must share it.
	tokenKeyFile string
	// createMissingKeys creates missing key files; set by the flag or
	// because the data directory is new (see isNewDataDir).
	createMissingKeys bool
	// checkpointInterval is how often case heads are checkpointed.
	checkpointInterval time.Duration
	secureCookies      bool
	stdout             io.Writer
	mediaFlags         mediaFlags
	media              media.Config // from mediaFlags, validated
	// storeHealth is the embedded node's write health (nil: external store).
	storeHealth func() error
}

func (c serveConfig) validate() error {
	var errs []error
	if c.http == "" {
		errs = append(errs, errors.New("--http must not be empty"))
	}
	if c.data == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	if c.checkpointInterval <= 0 {
		errs = append(errs, errors.New("--checkpoint-interval must be positive"))
	}
	if c.eventstore != "" && !strings.HasPrefix(c.eventstore, "esdb://") && !strings.HasPrefix(c.eventstore, "esdb+discover://") &&
		!strings.HasPrefix(c.eventstore, "kurrentdb://") && !strings.HasPrefix(c.eventstore, "kurrentdb+discover://") {
		errs = append(errs, fmt.Errorf("--eventstore: want an esdb:// or esdb+discover:// connection string (the value is not repeated here: it may hold credentials)"))
	}
	return errors.Join(errs...)
}

func serveFlags(env environment) (*serveConfig, func([]string) error) {
	cfg := &serveConfig{}
	fs := newFlagSet("serve", "Runs the whole product: HTTP API and pages, with the embedded event store node unless --eventstore names one.", env.stderr)
	fs.StringVar(&cfg.http, "http", "127.0.0.1:8080", "HTTP listen address")
	fs.StringVar(&cfg.data, "data", "./data", "data directory (event store, documents)")
	fs.StringVar(&cfg.eventstore, "eventstore", "", "connection string of an external EventStoreDB/KurrentDB (e.g. esdb://host:2113?tls=true); empty runs the embedded node")
	fs.StringVar(&cfg.nodeListen, "node-listen", "127.0.0.1:0", "listen address of the embedded node (0 picks a free port)")
	fs.BoolVar(&cfg.demo, "demo", false, "seed demo offices and staff users (clerk, auditor, admin); password from BUERGERBUERO_DEMO_PASSWORD or generated and printed once")
	fs.StringVar(&cfg.tokenKeyFile, "token-key-file", "", "file with the secret (≥ 32 bytes) that derives citizens' capability tokens; default <data>/secrets/capability.key, created on first start; share it between instances")
	fs.BoolVar(&cfg.createMissingKeys, "create-missing-keys", false, "create missing key files (<data>/secrets/capability.key, signing.key) even though the data directory holds data; without it a missing key is an error (a new data directory gets its keys anyway)")
	fs.DurationVar(&cfg.checkpointInterval, "checkpoint-interval", time.Minute, "how often a signed checkpoint of every case's head is written (to the event store and <data>/checkpoints/cases.jsonl); also on a graceful stop")
	fs.BoolVar(&cfg.secureCookies, "secure-cookies", false, "mark session cookies Secure even without TLS on this hop (TLS ends at a proxy)")
	cfg.mediaFlags.register(fs)
	return cfg, func(args []string) error {
		if err := fs.parse(args, env.lookupEnv); err != nil {
			return err
		}
		if err := cfg.validate(); err != nil {
			return usageError(err)
		}
		media, err := cfg.mediaFlags.config()
		if err != nil {
			return usageError(err)
		}
		cfg.media = media
		cfg.demoPassword, _ = env.lookupEnv("BUERGERBUERO_DEMO_PASSWORD")
		cfg.stdout = env.stdout
		if cfg.tokenKeyFile == "" {
			cfg.tokenKeyFile = filepath.Join(cfg.data, "secrets", "capability.key")
		}
		return nil
	}
}

func runServe(ctx context.Context, args []string, env environment) (err error) {
	cfg, parse := serveFlags(env)
	if err := parse(args); err != nil {
		return err
	}
	// Decided before the embedded node creates <data>/events.
	cfg.createMissingKeys = cfg.createMissingKeys || isNewDataDir(cfg.data)
	sys, err := buildSystem(ctx, *cfg, env)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sys.close()) }()

	ln, err := net.Listen("tcp", cfg.http)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.http, err)
	}
	drain := newStreamDrain(sys.handler)
	srv := &http.Server{Handler: drain, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(drain.Stop)

	// The HTTP server and the background loops (event buses, scheduler) run
	// until the context ends (SIGTERM, Ctrl-C) or one of them fails. Then,
	// in this order: live streams end and HTTP drains (every request in
	// flight finishes its write), the loops stop (they may still be
	// applying those writes, so they run on their own context), and the
	// deferred close syncs the rest (policy checkpoint flushed, client and
	// node closed).
	loopCtx, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLoops()
	errc := make(chan error, len(sys.loops)+1)
	var wg sync.WaitGroup
	for _, loop := range sys.loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := loop(loopCtx); err != nil && loopCtx.Err() == nil {
				errc <- err
			}
		}()
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http server: %w", err)
		}
	}()
	fmt.Fprintf(env.stdout, "Bürgerbüro ready on http://%s (event store: %s)\n", ln.Addr(), sys.eventstoreDesc)

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	shutdownErr := srv.Shutdown(shutdownCtx)
	if shutdownErr != nil {
		shutdownErr = fmt.Errorf("http server did not drain within %s: %w", shutdownTimeout, shutdownErr)
	}
	stopLoops()
	wg.Wait()
	return errors.Join(runErr, shutdownErr)
}

// shutdownTimeout bounds how long requests in flight may take to finish
// after SIGTERM; live streams end at once.
const shutdownTimeout = 10 * time.Second

// eventsDir is where the embedded node keeps its data below --data.
func eventsDir(data string) string { return filepath.Join(data, "events") }
