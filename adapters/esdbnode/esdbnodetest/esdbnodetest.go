// Package esdbnodetest starts an embedded EventStoreDB node for tests: on a
// free loopback port, in a temporary directory, with a connected official
// client. It is for tests only and must not be imported by production code.
package esdbnodetest

import (
	"context"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
)

// Node is a started node with a client connected to it.
type Node struct {
	*esdbnode.Node
	Client *esdb.Client
}

// Start starts a node in t.TempDir() on 127.0.0.1:0 and connects a client.
// Both are closed by t.Cleanup; a failure stops the test.
func Start(t testing.TB) *Node {
	t.Helper()
	return StartWith(t, esdbnode.Config{})
}

// StartWith is Start with a config; Listen and DataDir default to a free
// loopback port and t.TempDir().
func StartWith(t testing.TB, cfg esdbnode.Config) *Node {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	n, err := esdbnode.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("esdbnodetest: start node: %v", err)
	}
	c, err := Connect(n.ConnectionString())
	if err != nil {
		_ = n.Close()
		t.Fatalf("esdbnodetest: connect: %v", err)
	}
	t.Cleanup(func() {
		_ = c.Close()
		if err := n.Close(); err != nil {
			t.Errorf("esdbnodetest: close node: %v", err)
		}
	})
	return &Node{Node: n, Client: c}
}

// Connect builds an official client from a connection string. The
// client's log is discarded (it logs every expected error, such as a
// wrong expected version, at error level); errors still reach the caller.
func Connect(url string) (*esdb.Client, error) {
	cfg, err := esdb.ParseConnectionString(url)
	if err != nil {
		return nil, err
	}
	cfg.Logger = quietLogger
	return esdb.NewClient(cfg)
}

func quietLogger(esdb.LogLevel, string, ...any) {}
