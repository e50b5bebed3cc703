package eventstore_test

import (
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/domain"
)

type pointerEvent struct{}

func (*pointerEvent) EventType() string { return "TestPointer" }

type sameName struct{}

func (sameName) EventType() string { return "TestThingHappened" }

func TestRegistryRefusesAmbiguity(t *testing.T) {
	cases := map[string][]domain.Event{
		"duplicate name": {thingHappened{}, sameName{}},
		"pointer type":   {&pointerEvent{}},
		"nil":            {nil},
	}
	for name, events := range cases {
		if _, err := eventstore.NewRegistry(events...); err == nil {
			t.Errorf("%s: NewRegistry accepted it", name)
		}
	}
	r, err := eventstore.NewRegistry(thingHappened{}, thingRenamed{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Types(); len(got) != 2 || got[0] != "TestThingHappened" {
		t.Errorf("Types() = %v", got)
	}
	if err := r.WithVersion("TestThingRenamed", 3); err == nil {
		t.Error("version 3 without upcasters accepted")
	}
	if err := r.WithVersion("Nope", 1); err == nil {
		t.Error("unknown type accepted")
	}
}
