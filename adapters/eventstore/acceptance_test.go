package eventstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Test events: the suite checks the adapter, not the domain's events.
type thingHappened struct {
	N    int    `json:"n"`
	Note string `json:"note"`
}

func (thingHappened) EventType() string { return "TestThingHappened" }

type thingRenamed struct {
	Name string `json:"name"`
}

func (thingRenamed) EventType() string { return "TestThingRenamed" }

func testRegistry(t *testing.T) *eventstore.Registry {
	t.Helper()
	r, err := eventstore.NewRegistry(thingHappened{}, thingRenamed{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var testActor = func() domain.Actor {
	a, err := domain.NewActor(domain.RoleClerk, "clerk-1")
	if err != nil {
		panic(err)
	}
	return a
}()

func newEvent(e domain.Event, prevHash string) eventlog.NewEvent {
	return eventlog.NewEvent{ID: uuid.New(), Event: e, Meta: eventlog.Metadata{
		CorrelationID: uuid.New(), CausationID: uuid.New(), Actor: testActor,
		OccurredAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC), PrevHash: prevHash,
	}}
}

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
			for _, tc := range acceptanceCases {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, store, client) })
			}
		})
	}
}

type acceptanceCase struct {
	name string
	run  func(t *testing.T, s *eventstore.Store, c *esdb.Client)
}

var acceptanceCases = []acceptanceCase{
	{"append and load round trip", testRoundTrip},
	{"wrong expected revision is a conflict", testConflict},
	{"missing stream is not found", testNotFound},
	{"retry with the same event IDs is idempotent", testIdempotentRetry},
	{"racing appenders: exactly one wins", testRacingAppenders},
	{"unknown event type is reported", testUnknownType},
	{"old schema versions are upcast", testUpcast},
	{"hash chain survives the store", testHashChain},
	{"chained multi-event append verifies", testChainedAppend},
	{"subscribe to $all by category from a checkpoint", testSubscribe},
	{"deleted stream maps to typed error", testDeleted},
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func stream(prefix string) string { return prefix + "-" + uuid.NewString() }

func testRoundTrip(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("thing")
	a, b := newEvent(thingHappened{N: 1, Note: "first"}, ""), newEvent(thingRenamed{Name: "zwei"}, "")
	res, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), a, b)
	if err != nil {
		t.Fatal(err)
	}
	if res.NextRevision != 1 || res.Position.Commit == 0 {
		t.Fatalf("append result %+v: want next revision 1 and a position", res)
	}
	got, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("loaded %d events, want 2", len(got))
	}
	for i, want := range []eventlog.NewEvent{a, b} {
		g := got[i]
		if g.ID != want.ID || g.Type != want.Event.EventType() || g.Event != want.Event || g.Revision != uint64(i) || g.Stream != st {
			t.Errorf("event %d = %+v, want %+v at revision %d", i, g, want, i)
		}
		if g.Meta.CorrelationID != want.Meta.CorrelationID || g.Meta.CausationID != want.Meta.CausationID ||
			g.Meta.Actor != want.Meta.Actor || !g.Meta.OccurredAt.Equal(want.Meta.OccurredAt) || g.Meta.SchemaVersion != 1 {
			t.Errorf("event %d metadata = %+v, want %+v", i, g.Meta, want.Meta)
		}
		if g.RecordedAt.IsZero() || g.Position.Commit == 0 {
			t.Errorf("event %d lacks recorded time or position: %+v", i, g)
		}
	}
	if got[1].Position.Commit <= got[0].Position.Commit {
		t.Errorf("positions not increasing: %v then %v", got[0].Position, got[1].Position)
	}
	if got[1].Position != res.Position {
		t.Errorf("append result position %v, last event position %v", res.Position, got[1].Position)
	}
	// The stored metadata never holds names, only role and ID.
	var raw map[string]any
	if err := json.Unmarshal(got[0].RawMetadata, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["actorRole"] != "clerk" || raw["actorId"] != "clerk-1" || raw["$correlationId"] == nil {
		t.Errorf("stored metadata %s lacks actor or correlation", got[0].RawMetadata)
	}
}

func testConflict(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), newEvent(thingHappened{N: 1}, "")); err != nil {
		t.Fatal(err)
	}
	for name, exp := range map[string]eventlog.Expected{
		"no stream":      eventlog.ExpectNoStream(),
		"stale revision": eventlog.ExpectRevision(5),
		"version 0":      eventlog.ExpectVersion(0),
	} {
		_, err := s.Append(ctx(t), st, exp, newEvent(thingHappened{N: 2}, ""))
		if !errors.Is(err, eventlog.ErrConflict) {
			t.Errorf("%s: error %v, want ErrConflict", name, err)
		}
		var op *eventlog.OpError
		if !errors.As(err, &op) || op.Stream != st || op.Op != "append" {
			t.Errorf("%s: error %v does not carry the operation and stream", name, err)
		}
	}
	if _, err := s.Append(ctx(t), st, eventlog.ExpectVersion(1), newEvent(thingHappened{N: 2}, "")); err != nil {
		t.Errorf("append at the right version: %v", err)
	}
}

func testNotFound(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	_, err := s.Load(ctx(t), stream("nothing"))
	if !errors.Is(err, eventlog.ErrStreamNotFound) {
		t.Fatalf("error %v, want ErrStreamNotFound", err)
	}
}

func testIdempotentRetry(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("thing")
	e := newEvent(thingHappened{N: 7}, "")
	first, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), e)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), e)
	if err != nil {
		t.Fatalf("retry with the same event ID: %v", err)
	}
	if again != first {
		t.Errorf("retry result %+v, want the original %+v", again, first)
	}
	got, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("stream holds %d events after a retry, want 1", len(got))
	}
}

func testRacingAppenders(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("thing")
	if _, err := s.Append(ctx(t), st, eventlog.ExpectNoStream(), newEvent(thingHappened{N: 0}, "")); err != nil {
		t.Fatal(err)
	}
	const writers = 16
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.Append(ctx(t), st, eventlog.ExpectRevision(0), newEvent(thingHappened{N: i}, ""))
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, eventlog.ErrConflict):
				conflicts.Add(1)
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != writers-1 {
		t.Fatalf("%d wins and %d conflicts, want 1 and %d", wins.Load(), conflicts.Load(), writers-1)
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

func testHashChain(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("case")
	prev := ""
	for i := 0; i < 5; i++ {
		loaded, err := s.Load(ctx(t), st)
		exp := eventlog.ExpectNoStream()
		if err == nil {
			prev = eventlog.Hash(loaded[len(loaded)-1])
			exp = eventlog.ExpectRevision(loaded[len(loaded)-1].Revision)
		} else if !errors.Is(err, eventlog.ErrStreamNotFound) {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx(t), st, exp, newEvent(thingHappened{N: i}, prev)); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eventlog.VerifyChain(all); err != nil {
		t.Fatalf("chain written through the store does not verify: %v", err)
	}
}

// testChainedAppend: the store links a chained append itself, from the
// hash of the stream's head, over the bytes it stores; one append per
// decision, several decisions in a row.
func testChainedAppend(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	st := stream("case")
	three := func(n int) []eventlog.NewEvent {
		// A stale PrevHash in the metadata is overwritten by the chain.
		return []eventlog.NewEvent{newEvent(thingHappened{N: n}, "stale"), newEvent(thingRenamed{Name: "zwei"}, ""), newEvent(thingHappened{N: n + 2, Note: "drei"}, "")}
	}
	res, err := s.Append(ctx(t), st, eventlog.ExpectNoStream().ChainedFrom(""), three(1)...)
	if err != nil {
		t.Fatal(err)
	}
	if res.NextRevision != 2 {
		t.Fatalf("next revision %d, want 2", res.NextRevision)
	}
	loaded, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eventlog.VerifyChain(loaded); err != nil || len(loaded) != 3 {
		t.Fatalf("%d events, chain: %v", len(loaded), err)
	}
	head := eventlog.Hash(loaded[2])
	if _, err := s.Append(ctx(t), st, eventlog.ExpectRevision(2).ChainedFrom(head), three(4)...); err != nil {
		t.Fatal(err)
	}
	// A stale head is a conflict and writes nothing.
	if _, err := s.Append(ctx(t), st, eventlog.ExpectRevision(2).ChainedFrom(head), three(7)...); !errors.Is(err, eventlog.ErrConflict) {
		t.Fatalf("stale chained append: %v, want conflict", err)
	}
	if _, err := s.Append(ctx(t), st, eventlog.ExpectAny().ChainedFrom(head), three(7)...); !errors.Is(err, eventlog.ErrChainWithoutRevision) {
		t.Fatalf("chained append without a revision: %v", err)
	}
	all, err := s.Load(ctx(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Fatalf("%d events, want 6", len(all))
	}
	if _, err := eventlog.VerifyChain(all); err != nil {
		t.Fatalf("chained appends do not verify: %v", err)
	}
}

func testSubscribe(t *testing.T, s *eventstore.Store, _ *esdb.Client) {
	prefix := "sub" + uuid.NewString()[:8]
	mine, other := stream(prefix), stream("other"+prefix)
	var checkpoint *eventlog.Position
	for i := 0; i < 3; i++ {
		res, err := s.Append(ctx(t), mine, eventlog.ExpectAny(), newEvent(thingHappened{N: i}, ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx(t), other, eventlog.ExpectAny(), newEvent(thingHappened{N: 100 + i}, "")); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			p := res.Position
			checkpoint = &p
		}
	}
	subCtx, cancel := context.WithCancel(ctx(t))
	defer cancel()
	got := make(chan eventlog.RecordedEvent, 16)
	caughtUp := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.SubscribeAll(subCtx, checkpoint, eventlog.Subscription{
			StreamPrefixes: []string{prefix},
			Handle: func(_ context.Context, e eventlog.RecordedEvent) error {
				got <- e
				return nil
			},
			OnCaughtUp: func(context.Context) {
				select {
				case caughtUp <- struct{}{}:
				default:
				}
			},
		})
	}()
	want := []int{1, 2} // after the checkpoint, exclusive
	for _, n := range want {
		select {
		case e := <-got:
			if e.Stream != mine || e.Event.(thingHappened).N != n {
				t.Fatalf("got %s %+v, want event %d of %s", e.Stream, e.Event, n, mine)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("event %d not delivered", n)
		}
	}
	select {
	case <-caughtUp:
	case <-time.After(10 * time.Second):
		t.Fatal("never caught up")
	}
	// A live event arrives after catching up.
	if _, err := s.Append(ctx(t), mine, eventlog.ExpectAny(), newEvent(thingHappened{N: 3}, "")); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-got:
		if e.Event.(thingHappened).N != 3 {
			t.Fatalf("live event %+v, want N=3", e.Event)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("live event not delivered")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("subscription ended with %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("subscription did not end after cancel")
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
