package eventstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog/eventlogtest"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// The suite's events (eventlogtest), under short names for the
// adapter-specific cases.
type (
	thingHappened = eventlogtest.ThingHappened
	thingRenamed  = eventlogtest.ThingRenamed
)

func testRegistry(t *testing.T) *eventstore.Registry {
	t.Helper()
	r, err := eventstore.NewRegistry(eventlogtest.Events()...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var newEvent = eventlogtest.NewEvent

// backends lists the event stores the suite runs against: always the
// embedded node over real gRPC, and a real EventStoreDB/KurrentDB when
// ESDB_URL names one.
func backends() map[string]func(t *testing.T) *esdb.Client {
	b := map[string]func(t *testing.T) *esdb.Client{"embedded": startEmbedded}
	if url := os.Getenv("ESDB_URL"); url != "" {
		b["external"] = func(t *testing.T) *esdb.Client {
			cfg, err := esdb.ParseConnectionString(url)
			if err != nil {
				t.Fatalf("ESDB_URL: %v", err)
			}
			c, err := esdb.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = c.Close() })
			return c
		}
	}
	return b
}

func TestAcceptance(t *testing.T) {
	for name, connect := range backends() {
		t.Run(name, func(t *testing.T) {
			client := connect(t)
			store, err := eventstore.New(client, testRegistry(t))
			if err != nil {
				t.Fatal(err)
			}
			eventlogtest.Run(t, store) // what every eventlog.Store must do
			for _, tc := range adapterCases {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, store, client) })
			}
		})
	}
}

type acceptanceCase struct {
	name string
	run  func(t *testing.T, s *eventstore.Store, c *esdb.Client)
}

// adapterCases are what only this adapter does: its wire format, its
// registry and the node's stream deletion.
var adapterCases = []acceptanceCase{
	{"stored metadata holds role and ID, never names", testStoredMetadata},
	{"unknown event type is reported", testUnknownType},
	{"old schema versions are upcast", testUpcast},
	{"deleted stream maps to typed error", testDeleted},
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func stream(prefix string) string { return prefix + "-" + uuid.NewString() }

func testStoredMetadata(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), newEvent(thingHappened{N: 1, Note: "first"}, "")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(got[0].RawMetadata, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["actorRole"] != "clerk" || raw["actorId"] != "clerk-1" || raw["$correlationId"] == nil {
		t.Errorf("stored metadata %s lacks actor or correlation", got[0].RawMetadata)
	}
}

func testUnknownType(t *testing.T, s *eventstore.Store, c *esdb.Client) {
	st := stream("thing")
	_, err := c.AppendToStream(ctx(t), st, esdb.AppendToStreamOptions{}, esdb.EventData{
		EventID: uuid.New(), EventType: "SomethingElse", ContentType: esdb.ContentTypeJson, Data: []byte(`{}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Load(ctx(t), st)
	if !errors.Is(err, eventlog.ErrUnknownEventType) {
		t.Fatalf("error %v, want ErrUnknownEventType", err)
	}
}

func testUpcast(t *testing.T, s *eventstore.Store, c *esdb.Client) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), newEvent(thingRenamed{Name: "alt"}, "")); err != nil {
		t.Fatal(err)
	}
	// A later build renames the field; version 1 payloads are upcast on read.
	r := testRegistry(t)
	err := r.WithVersion("TestThingRenamed", 2, func(data []byte) ([]byte, error) {
		var v1 struct{ Name string }
		if err := json.Unmarshal(data, &v1); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]string{"name": v1.Name + " (v2)"})
	})
	if err != nil {
		t.Fatal(err)
	}
	newer, err := eventstore.New(c, r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := newer.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Event != (thingRenamed{Name: "alt (v2)"}) {
		t.Errorf("upcast event = %+v", got[0].Event)
	}
	if _, err := newer.Append(ctx(t), st, eventlog.ExpectRevision(0), newEvent(thingRenamed{Name: "neu"}, "")); err != nil {
		t.Fatal(err)
	}
	// The old build refuses payloads newer than it knows instead of misreading them.
	if _, err := s.Load(ctx(t), st); err == nil {
		t.Error("an old registry read a newer schema version without complaint")
	}
}

func testDeleted(t *testing.T, s *eventstore.Store, c *esdb.Client) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), newEvent(thingHappened{N: 1}, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TombstoneStream(ctx(t), st, esdb.TombstoneStreamOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Append(ctx(t), st, eventlog.ExpectAny(), newEvent(thingHappened{N: 2}, ""))
	if !errors.Is(err, eventlog.ErrStreamDeleted) {
		t.Errorf("append to a tombstoned stream: %v, want ErrStreamDeleted", err)
	}
}
