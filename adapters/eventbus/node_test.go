package eventbus_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

// node is an embedded EventStoreDB node with a store connected over gRPC.
type node struct {
	node   *esdbnode.Node
	client *esdb.Client
	store  *eventstore.Store
	reg    *eventstore.Registry
}

// startNode starts the embedded node over dir on a free loopback port.
func startNode(t testing.TB, dir string) *node {
	t.Helper()
	n, err := esdbnode.Start(context.Background(), esdbnode.Config{Listen: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := esdb.ParseConnectionString(fmt.Sprintf("esdb://%s?tls=false", n.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	client, err := esdb.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := eventstore.NewRegistry(readmodeltest.EventTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	store, err := eventstore.New(client, reg)
	if err != nil {
		t.Fatal(err)
	}
	nd := &node{node: n, client: client, store: store, reg: reg}
	t.Cleanup(nd.stop)
	return nd
}

func (n *node) stop() {
	if n.client != nil {
		_ = n.client.Close()
		_ = n.node.Close()
		n.client = nil
	}
}

var systemActor = func() domain.Actor {
	a, err := domain.NewActor(domain.RoleSystem, "readside-test")
	if err != nil {
		panic(err)
	}
	return a
}()

func newEvent(e domain.Event) eventlog.NewEvent {
	return eventlog.NewEvent{ID: uuid.New(), Event: e, Meta: eventlog.Metadata{
		CorrelationID: uuid.New(), CausationID: uuid.New(), Actor: systemActor, OccurredAt: time.Now().UTC(),
	}}
}

// appendAll writes the events, batching consecutive events of one stream,
// and returns the position of the last append.
func appendAll(t testing.TB, s eventlog.Store, evs []readmodeltest.StreamEvent) eventlog.Position {
	t.Helper()
	var last eventlog.Position
	for i := 0; i < len(evs); {
		j := i
		var batch []eventlog.NewEvent
		for ; j < len(evs) && evs[j].Stream == evs[i].Stream && len(batch) < 50; j++ {
			batch = append(batch, newEvent(evs[j].Event))
		}
		res, err := s.Append(context.Background(), evs[i].Stream, eventlog.ExpectAny(), batch...)
		if err != nil {
			t.Fatalf("append %s: %v", evs[i].Stream, err)
		}
		last = res.Position
		i = j
	}
	return last
}

// readSide is read models fed by a running local bus.
type readSide struct {
	models *readmodel.Models
	fanout *readside.Fanout
	bus    *eventbus.Bus
	stop   func()
}

func startReadSide(t testing.TB, store eventlog.Store, types eventbus.EventTypes) *readSide {
	t.Helper()
	fanout := readside.NewFanout(0)
	models := readmodel.New(readmodel.Config{Notifier: fanout})
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: store, Types: types, Handlers: models.Handlers(), StreamPrefixes: readmodel.StreamPrefixes,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bus.Run(ctx) }()
	stopped := false
	rs := &readSide{models: models, fanout: fanout, bus: bus}
	rs.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("bus.Run: %v", err)
		}
	}
	t.Cleanup(rs.stop)
	return rs
}

func (rs *readSide) waitReady(t testing.TB) {
	t.Helper()
	select {
	case <-rs.bus.Ready():
	case <-time.After(60 * time.Second):
		t.Fatal("read side not ready within a minute")
	}
}
