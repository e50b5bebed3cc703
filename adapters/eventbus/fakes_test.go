package eventbus_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

// noted is a test event.
type noted struct {
	N int `json:"n"`
}

func (noted) EventType() string { return "TestNoted" }

// types is a fake type registry: TestNoted at the given current version.
type types struct{ version int }

func (t types) GoType(name string) (reflect.Type, int, bool) {
	if name != "TestNoted" {
		return nil, 0, false
	}
	return reflect.TypeOf(noted{}), t.version, true
}

var actor = func() domain.Actor {
	a, err := domain.NewActor(domain.RoleSystem, "test")
	if err != nil {
		panic(err)
	}
	return a
}()

func recorded(i int) eventlog.RecordedEvent {
	return eventlog.RecordedEvent{
		Stream: "test-1", Revision: uint64(i), Position: eventlog.Position{Commit: uint64(100 * (i + 1)), Prepare: uint64(100 * (i + 1))},
		ID: uuid.New(), Type: "TestNoted", Event: noted{N: i},
		Meta: eventlog.Metadata{
			CorrelationID: uuid.New(), CausationID: uuid.New(), Actor: actor,
			OccurredAt: time.Date(2026, 11, 24, 9, 0, i, 0, time.UTC), SchemaVersion: 1,
		},
		RecordedAt:  time.Date(2026, 11, 24, 9, 0, i, 5, time.UTC),
		Data:        []byte(`{"n":` + itoa(i) + `}`),
		RawMetadata: []byte(`{"actorRole":"system"}`),
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

// fakeStore serves SubscribeAll from a slice, then a live channel.
type fakeStore struct {
	eventlog.Store
	backlog []eventlog.RecordedEvent
	live    chan eventlog.RecordedEvent
}

func (s *fakeStore) SubscribeAll(ctx context.Context, from *eventlog.Position, sub eventlog.Subscription) error {
	for _, e := range s.backlog {
		if from != nil && !readside.Before(*from, e.Position) {
			continue
		}
		if err := sub.Handle(ctx, e); err != nil {
			return err
		}
	}
	if sub.OnCaughtUp != nil {
		sub.OnCaughtUp(ctx)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-s.live:
			if err := sub.Handle(ctx, e); err != nil {
				return err
			}
		}
	}
}

// recorder is a readside.Handler that records what it applied and can fail.
type recorder struct {
	name   string
	mu     sync.Mutex
	tr     readside.Tracker
	got    []eventlog.RecordedEvent
	replay []bool
	fail   func(e eventlog.RecordedEvent) error
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Handle(ctx context.Context, e eventlog.RecordedEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(e); err != nil {
			return err
		}
	}
	if r.tr.Seen(e.Position) {
		return nil
	}
	r.tr.Mark(e.Position)
	r.got = append(r.got, e)
	r.replay = append(r.replay, readside.Replaying(ctx))
	return nil
}

func (r *recorder) events() []eventlog.RecordedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]eventlog.RecordedEvent(nil), r.got...)
}

var errBoom = errors.New("boom")
