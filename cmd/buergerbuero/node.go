package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
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

func runNode(ctx context.Context, args []string, env environment) error {
	var cfg nodeConfig
	fs := newFlagSet("node", "Runs the embedded EventStoreDB-compatible node alone (insecure gRPC, for app instances and tools on this machine).", env.stderr)
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:2113", "gRPC listen address")
	fs.StringVar(&cfg.data, "data", "./data/events", "directory of the event store")
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return usageError(err)
	}
	node, err := esdbnode.Start(ctx, esdbnode.Config{Listen: cfg.listen, DataDir: cfg.data})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "event store node accepting connections on esdb://%s?tls=false\n", node.Addr())
	<-ctx.Done()
	return node.Close()
}
