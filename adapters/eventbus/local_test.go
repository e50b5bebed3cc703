package eventbus_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/eventbus"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// run starts bus.Run and returns a stop function that waits for it.
func run(t *testing.T, bus *eventbus.Bus) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bus.Run(ctx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(func() {
		select {
		case <-ctx.Done():
		default:
			stop()
		}
	})
	return stop
}

func waitReady(t *testing.T, bus *eventbus.Bus) {
	t.Helper()
	select {
	case <-bus.Ready():
	case <-time.After(20 * time.Second):
		t.Fatal("bus not ready")
	}
}

func TestLocalDeliversInOrderDecodedToEveryHandler(t *testing.T) {
	var backlog []eventlog.RecordedEvent
	for i := 0; i < 50; i++ {
		backlog = append(backlog, recorded(i))
	}
	a, b := &recorder{name: "A"}, &recorder{name: "B"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: &fakeStore{backlog: backlog, live: make(chan eventlog.RecordedEvent)}, Types: types{version: 1},
		Handlers: []readside.Handler{a, b},
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)
	for _, r := range []*recorder{a, b} {
		got := r.events()
		if len(got) != len(backlog) {
			t.Fatalf("%s got %d events, want %d", r.name, len(got), len(backlog))
		}
		for i, e := range got {
			want := backlog[i]
			if !reflect.DeepEqual(e, want) {
				t.Fatalf("%s event %d:\n got %+v\nwant %+v", r.name, i, e, want)
			}
		}
	}
	a.mu.Lock()
	for i, replayed := range a.replay {
		if !replayed {
			t.Errorf("backlog event %d is not marked as replayed", i)
			break
		}
	}
	a.mu.Unlock()
	if p, ok := bus.Position(); !ok || p != backlog[len(backlog)-1].Position {
		t.Errorf("Position = %v, %v; want the last event's", p, ok)
	}
}

func TestLocalWaitForReturnsOnceTheEventIsApplied(t *testing.T) {
	live := make(chan eventlog.RecordedEvent)
	r := &recorder{name: "R"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: &fakeStore{live: live}, Types: types{version: 1}, Handlers: []readside.Handler{r}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)

	e := recorded(7)
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := bus.WaitFor(short, e.Position); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitFor before the event = %v, want deadline exceeded", err)
	}
	live <- e
	ctx, cancel2 := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel2()
	if err := bus.WaitFor(ctx, e.Position); err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	if got := r.events(); len(got) != 1 || got[0].ID != e.ID {
		t.Fatalf("after WaitFor the handler has %v, want the event", got)
	}
	r.mu.Lock()
	if r.replay[0] {
		t.Error("a live event is marked as replayed")
	}
	r.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLocalRetriesThenPoisonsAndGoesOn(t *testing.T) {
	backlog := []eventlog.RecordedEvent{recorded(0), recorded(1), recorded(2)}
	backlog[1].Data = []byte(`{"n":1,"secret":"Erika Mustermann"}`) // personal data must not be logged
	var mu sync.Mutex
	attempts := map[int]int{}
	flaky := &recorder{name: "Flaky", fail: func(e eventlog.RecordedEvent) error {
		mu.Lock()
		defer mu.Unlock()
		n := e.Event.(noted).N
		attempts[n]++
		switch {
		case n == 0 && attempts[n] <= 2:
			return errBoom // transient: succeeds on the third try
		case n == 1:
			return errBoom // permanent
		}
		return nil
	}}
	logs := &syncBuffer{}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: &fakeStore{backlog: backlog, live: make(chan eventlog.RecordedEvent)}, Types: types{version: 1},
		Handlers: []readside.Handler{flaky}, MaxRetries: 3, RetryInterval: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)

	got := flaky.events()
	if len(got) != 2 || got[0].Event.(noted).N != 0 || got[1].Event.(noted).N != 2 {
		t.Fatalf("applied %v, want events 0 and 2", got)
	}
	mu.Lock()
	if attempts[1] != 4 {
		t.Errorf("event 1 tried %d times, want 1 + 3 retries", attempts[1])
	}
	mu.Unlock()
	out := logs.String()
	if !strings.Contains(out, "failed permanently") || !strings.Contains(out, backlog[1].ID.String()) {
		t.Errorf("the permanent failure is not logged with the event ID:\n%s", out)
	}
	if strings.Contains(out, "Mustermann") {
		t.Errorf("the log contains personal data from the payload:\n%s", out)
	}
}

func TestLocalCarriesTheUpcastPayloadWhenTheStoredSchemaIsOlder(t *testing.T) {
	e := recorded(3)
	e.Data = []byte(`{"count":3}`) // the v1 shape as stored
	e.Meta.SchemaVersion = 1       // the store upcast it to v2: noted{N: 3}
	r := &recorder{name: "R"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: &fakeStore{backlog: []eventlog.RecordedEvent{e}, live: make(chan eventlog.RecordedEvent)},
		Types: types{version: 2}, Handlers: []readside.Handler{r},
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)
	got := r.events()
	if len(got) != 1 || got[0].Event.(noted).N != 3 || string(got[0].Data) != `{"count":3}` {
		t.Fatalf("got %+v, want the upcast event with the stored bytes", got)
	}
}

func TestNewLocalValidates(t *testing.T) {
	_, err := eventbus.NewLocal(eventbus.LocalConfig{Handlers: []readside.Handler{&recorder{name: "X"}, &recorder{name: "X"}}})
	if err == nil {
		t.Fatal("NewLocal accepted a config without store and types and with duplicate names")
	}
	for _, want := range []string{"event store", "event types", "used twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestLocalWaitForManyWaitersAndCancelledOnes(t *testing.T) {
	live := make(chan eventlog.RecordedEvent)
	r := &recorder{name: "R"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{Store: &fakeStore{live: live}, Types: types{version: 1}, Handlers: []readside.Handler{r}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)

	// A waiter for a position that never comes gives up with its context.
	never, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- bus.WaitFor(never, eventlog.Position{Commit: 1 << 60}) }()
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled WaitFor = %v", err)
	}
	// Many waiters, each released by its own event, in any order.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	events := make([]eventlog.RecordedEvent, 20)
	for i := range events {
		events[i] = recorded(i)
		wg.Add(1)
		go func(p eventlog.Position) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			errs <- bus.WaitFor(ctx, p)
		}(events[i].Position)
	}
	for _, e := range events {
		live <- e
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("WaitFor: %v", err)
		}
	}
	if n := len(r.events()); n != 20 {
		t.Errorf("applied %d events, want 20", n)
	}
}

// droppingStore fails its first subscription after failAfter events, as a
// dropped connection would, and serves the backlog from the checkpoint on
// the next one.
type droppingStore struct {
	fakeStore
	mu        sync.Mutex
	failAfter int
	froms     []*eventlog.Position
}

func (s *droppingStore) SubscribeAll(ctx context.Context, from *eventlog.Position, sub eventlog.Subscription) error {
	s.mu.Lock()
	s.froms = append(s.froms, from)
	first := len(s.froms) == 1
	s.mu.Unlock()
	if !first {
		return s.fakeStore.SubscribeAll(ctx, from, sub)
	}
	for _, e := range s.backlog[:s.failAfter] {
		if err := sub.Handle(ctx, e); err != nil {
			return err
		}
	}
	return errors.New("connection reset")
}

func TestLocalResubscribesFromTheLastPublishedPosition(t *testing.T) {
	var backlog []eventlog.RecordedEvent
	for i := 0; i < 10; i++ {
		backlog = append(backlog, recorded(i))
	}
	store := &droppingStore{fakeStore: fakeStore{backlog: backlog, live: make(chan eventlog.RecordedEvent)}, failAfter: 4}
	r := &recorder{name: "R"}
	bus, err := eventbus.NewLocal(eventbus.LocalConfig{
		Store: store, Types: types{version: 1}, Handlers: []readside.Handler{r}, ResubscribeDelay: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&syncBuffer{}, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, bus)
	waitReady(t, bus)
	got := r.events()
	if len(got) != len(backlog) {
		t.Fatalf("applied %d events, want %d", len(got), len(backlog))
	}
	for i, e := range got {
		if e.ID != backlog[i].ID {
			t.Fatalf("event %d is %s, want %s (lost, doubled or reordered)", i, e.ID, backlog[i].ID)
		}
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.froms) != 2 || store.froms[0] != nil || store.froms[1] == nil || *store.froms[1] != backlog[3].Position {
		t.Errorf("subscribed from %v, want the start and then the fourth event's position", store.froms)
	}
}
