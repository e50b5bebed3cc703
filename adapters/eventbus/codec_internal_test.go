package eventbus

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

type noted struct {
	N int `json:"n"`
}

func (noted) EventType() string { return "TestNoted" }

type registry struct{ version int }

func (r registry) GoType(name string) (reflect.Type, int, bool) {
	if name != "TestNoted" {
		return nil, 0, false
	}
	return reflect.TypeOf(noted{}), r.version, true
}

func sample(t *testing.T) eventlog.RecordedEvent {
	t.Helper()
	actor, err := domain.NewActor(domain.RoleClerk, "c-1")
	if err != nil {
		t.Fatal(err)
	}
	return eventlog.RecordedEvent{
		Stream: "test-1", Revision: 4, Position: eventlog.Position{Commit: 900, Prepare: 899}, ID: uuid.New(),
		Type: "TestNoted", Event: noted{N: 3},
		Meta: eventlog.Metadata{CorrelationID: uuid.New(), CausationID: uuid.New(), Actor: actor,
			OccurredAt: time.Date(2026, 11, 24, 9, 0, 0, 123, time.UTC), SchemaVersion: 1, PrevHash: "abc"},
		RecordedAt: time.Date(2026, 11, 24, 9, 0, 1, 456, time.UTC), Data: []byte(`{"n":3}`), RawMetadata: []byte(`{"actorRole":"clerk"}`),
	}
}

// TestCodecRoundTrip covers the wire format other transports (NATS) use;
// in process the router takes the attached event instead.
func TestCodecRoundTrip(t *testing.T) {
	cases := []struct {
		name    string
		current int
		edit    func(*eventlog.RecordedEvent)
		wantErr bool
	}{
		{name: "current schema", current: 1, edit: func(*eventlog.RecordedEvent) {}},
		{name: "upcast payload travels along", current: 2, edit: func(e *eventlog.RecordedEvent) { e.Data = []byte(`{"count":3}`) }},
		{name: "no actor", current: 1, edit: func(e *eventlog.RecordedEvent) { e.Meta.Actor = domain.Actor{} }},
		{name: "unknown type", current: 1, edit: func(e *eventlog.RecordedEvent) { e.Type = "TestOther" }, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := sample(t)
			c.edit(&e)
			msg, err := encode(e, registry{c.current})
			if err != nil {
				t.Fatal(err)
			}
			if msg.UUID != e.ID.String() {
				t.Errorf("message UUID %s, want the event ID", msg.UUID)
			}
			got, err := recordedOf(msg, registry{c.current}) // no attached event: decodes
			if c.wantErr {
				if !errors.Is(err, errUndecodable) {
					t.Fatalf("err = %v, want undecodable", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, e) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
			}
		})
	}
}

func TestRecordedOfPrefersTheAttachedEventOfTheSameID(t *testing.T) {
	e := sample(t)
	msg, err := encode(e, registry{1})
	if err != nil {
		t.Fatal(err)
	}
	attached := e
	attached.Event = noted{N: 42} // proves which one was taken
	msg.SetContext(withRecorded(context.Background(), attached))
	if got, _ := recordedOf(msg, registry{1}); got.Event.(noted).N != 42 {
		t.Error("the attached event was not used")
	}
	other := attached
	other.ID = uuid.New()
	msg.SetContext(withRecorded(context.Background(), other))
	if got, _ := recordedOf(msg, registry{1}); got.Event.(noted).N != 3 {
		t.Error("an attached event of another ID was used")
	}
}
