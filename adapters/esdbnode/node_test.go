package esdbnode_test

import (
	"context"
	"strings"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

func TestConfigValidate(t *testing.T) {
	err := esdbnode.Config{StopTimeout: -1, Server: esdbnode.Options{ReadPageSize: -1}}.Validate()
	if err == nil {
		t.Fatal("empty config validated")
	}
	for _, want := range []string{"Listen", "DataDir", "StopTimeout", "ReadPageSize"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestNodeCloseEndsSubscriptionsAndKeepsData(t *testing.T) {
	dir := t.TempDir()
	n, err := esdbnode.Start(context.Background(), esdbnode.Config{Listen: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	c, err := esdbnodetest.Connect(n.ConnectionString())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := streamName("persist")
	appendN(t, c, s, 3)
	sub, err := c.SubscribeToAll(ctxT(t), esdb.SubscribeToAllOptions{From: esdb.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	collect(t, sub, func(g []subEvent) bool { return len(g) > 0 && g[len(g)-1].caughtUp })

	if err := n.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	select {
	case <-n.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
	if err := n.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	for {
		e := sub.Recv()
		if e.SubscriptionDropped != nil {
			break
		}
		if e.EventAppeared == nil && e.CaughtUp == nil && e.CheckPointReached == nil {
			t.Fatalf("unexpected message %+v", e)
		}
	}

	again := esdbnodetest.StartWith(t, esdbnode.Config{DataDir: dir})
	if got := revisions(mustReadStream(t, again.Client, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10)); len(got) != 3 {
		t.Fatalf("after restart the stream has revisions %v, want 3 events", got)
	}
}
