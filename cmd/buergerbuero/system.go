package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// installation is everything `serve` runs (the event store connection and the
// product adapters/system wires), with one close for all.
type installation struct {
	handler        http.Handler
	eventstoreDesc string
	loops          []func(ctx context.Context) error // run beside the HTTP server until it stops
	closers        []func() error
}

func (s *installation) close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	return errors.Join(errs...)
}

// buildSystem starts the event store (embedded unless configured), connects
// the official client and builds the HTTP handler.
func buildSystem(ctx context.Context, cfg serveConfig, env environment) (_ *installation, err error) {
	sys := &installation{}
	defer func() {
		if err != nil {
			_ = sys.close()
		}
	}()

	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	connString := cfg.eventstore
	sys.eventstoreDesc = "external"
	if connString == "" {
		node, err := esdbnode.Start(ctx, esdbnode.Config{Listen: cfg.nodeListen, DataDir: eventsDir(cfg.data), Engine: engine.Options{Logger: log}})
		if err != nil {
			return nil, fmt.Errorf("start embedded node: %w", err)
		}
		sys.closers = append(sys.closers, node.Close)
		cfg.storeHealth = node.WriteHealth
		connString = fmt.Sprintf("esdb://%s?tls=false", node.Addr())
		sys.eventstoreDesc = "embedded node on " + node.Addr()
	}
	esCfg, err := esdb.ParseConnectionString(connString)
	if err != nil {
		return nil, usageError(fmt.Errorf("--eventstore: %v", err))
	}
	esCfg.Logger = clientLogger(log)
	client, err := esdb.NewClient(esCfg)
	if err != nil {
		return nil, fmt.Errorf("event store client: %w", err)
	}
	sys.closers = append(sys.closers, client.Close)
	if err := waitForEventStore(ctx, client); err != nil {
		return nil, err
	}

	prod, cleanup, err := wireProduct(ctx, cfg, client, log)
	if err != nil {
		return nil, err
	}
	sys.closers = append(sys.closers, cleanup)
	sys.handler = prod.Handler
	sys.loops = []func(context.Context) error{prod.Run}
	return sys, nil
}

// waitForEventStore returns once the event store answers a read of $all, so
// /healthz only says ok when events can be read and written.
func waitForEventStore(ctx context.Context, client *esdb.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		rs, err := client.ReadAll(ctx, esdb.ReadAllOptions{From: esdb.Start{}}, 1)
		if err == nil {
			_, err = rs.Recv()
			rs.Close()
			if err == nil || errors.Is(err, io.EOF) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("event store not reachable: %w", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// clientLogger sends the event store client's warnings and errors to the
// service log; its chatty debug and info lines (discovery attempts) are
// dropped. The client never logs event payloads.
func clientLogger(log *slog.Logger) esdb.LoggingFunc {
	return func(level esdb.LogLevel, format string, args ...interface{}) {
		switch level {
		case esdb.LogWarn:
			log.Warn("event store client: " + fmt.Sprintf(format, args...))
		case esdb.LogError:
			log.Error("event store client: " + fmt.Sprintf(format, args...))
		}
	}
}
