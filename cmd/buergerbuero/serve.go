package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"
)

// serveConfig is the validated configuration of `buergerbuero serve`.
type serveConfig struct {
	http       string // HTTP listen address
	data       string // data directory (event store, blobs)
	eventstore string // esdb:// URL of an external node or cluster; empty: embedded node
	nodeListen string // listen address of the embedded node
	demo       bool   // seed demo offices and staff
}

func (c serveConfig) validate() error {
	var errs []error
	if c.http == "" {
		errs = append(errs, errors.New("--http must not be empty"))
	}
	if c.data == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	if c.eventstore != "" && !strings.HasPrefix(c.eventstore, "esdb://") && !strings.HasPrefix(c.eventstore, "esdb+discover://") &&
		!strings.HasPrefix(c.eventstore, "kurrentdb://") && !strings.HasPrefix(c.eventstore, "kurrentdb+discover://") {
		errs = append(errs, fmt.Errorf("--eventstore %q: want an esdb:// or esdb+discover:// connection string", c.eventstore))
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
	fs.BoolVar(&cfg.demo, "demo", false, "seed demo offices and staff users")
	return cfg, func(args []string) error {
		if err := fs.parse(args, env.lookupEnv); err != nil {
			return err
		}
		if err := cfg.validate(); err != nil {
			return usageError(err)
		}
		return nil
	}
}

func runServe(ctx context.Context, args []string, env environment) error {
	cfg, parse := serveFlags(env)
	if err := parse(args); err != nil {
		return err
	}
	sys, err := buildSystem(ctx, *cfg, env)
	if err != nil {
		return err
	}
	defer sys.close()

	ln, err := net.Listen("tcp", cfg.http)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.http, err)
	}
	srv := &http.Server{Handler: sys.handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(env.stdout, "Bürgerbüro ready on http://%s (event store: %s)\n", ln.Addr(), sys.eventstoreDesc)

	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// eventsDir is where the embedded node keeps its data below --data.
func eventsDir(data string) string { return filepath.Join(data, "events") }
