package esdbnodetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

func TestStartGivesAConnectedClient(t *testing.T) {
	n := esdbnodetest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := n.Client.AppendToStream(ctx, "helper-check", esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}},
		esdb.EventData{EventType: "Checked", ContentType: esdb.ContentTypeJson, Data: []byte(`{}`)})
	if err != nil {
		t.Fatalf("append through the helper's client: %v", err)
	}
	if res.NextExpectedVersion != 0 {
		t.Fatalf("revision %d, want 0 in a fresh node", res.NextExpectedVersion)
	}
	if n.Addr() == "" || n.ConnectionString() != "esdb://"+n.Addr()+"?tls=false" {
		t.Fatalf("address %q, connection string %q", n.Addr(), n.ConnectionString())
	}
}
