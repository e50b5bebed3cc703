package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// nodeConfig is the validated configuration of `buergerbuero node`.
type nodeConfig struct {
	listen string
	data   string
}

func (c nodeConfig) validate() error {
	var errs []error
	if c.listen == "" {
		errs = append(errs, errors.New("--listen must not be empty"))
	}
	if c.data == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	return errors.Join(errs...)
}

// runNode runs the node, or one of its offline tools: `node check`,
// `node repair`.
func runNode(ctx context.Context, args []string, env environment) error {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return runNodeCheck(ctx, args[1:], env)
		case "repair":
			return runNodeRepair(ctx, args[1:], env)
		}
	}
	var cfg nodeConfig
	fs := newFlagSet("node", "Runs the embedded EventStoreDB-compatible node alone (insecure gRPC, for app instances and tools on this machine). "+
		"Offline tools: 'node check --data DIR' verifies the log, 'node repair --data DIR --at FILE:OFFSET --yes-cut-data' cuts it.", env.stderr)
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:2113", "gRPC listen address")
	fs.StringVar(&cfg.data, "data", "./data/events", "directory of the event store")
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return usageError(err)
	}
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	node, err := esdbnode.Start(ctx, esdbnode.Config{Listen: cfg.listen, DataDir: cfg.data, Engine: engine.Options{Logger: log}})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "event store node accepting connections on esdb://%s?tls=false\n", node.Addr())
	<-ctx.Done()
	return node.Close()
}
