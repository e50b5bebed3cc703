package eventstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
)

// startEmbedded runs the embedded node on a free port over a temporary
// directory and returns a client connected to it over real gRPC.
func startEmbedded(t *testing.T) *esdb.Client {
	t.Helper()
	node, err := esdbnode.Start(context.Background(), esdbnode.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = node.Close() })
	cfg, err := esdb.ParseConnectionString(fmt.Sprintf("esdb://%s?tls=false", node.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	client, err := esdb.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}
