package webbridge_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/webbridge"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

// TestCodeIndexLearnsCodesFromTheBus: a code booked on another instance is
// found from its event, in any spelling, and replays change nothing.
func TestCodeIndexLearnsCodesFromTheBus(t *testing.T) {
	x := webbridge.NewCodeIndex()
	code, err := appointment.ParseCode("7K2QX-9MABC")
	if err != nil {
		t.Fatal(err)
	}
	id := domain.IDFrom[domain.AppointmentID](uuid.New())
	e := eventlog.RecordedEvent{Event: appointment.AppointmentBooked{AppointmentID: id, Code: code}}
	if _, ok := x.Lookup(code.String()); ok {
		t.Fatal("an empty index knows a code")
	}
	for range 2 {
		if err := x.Handle(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	for _, spelling := range []string{"7K2QX-9MABC", "7k2qx9mabc", " 7K2QX 9MABC "} {
		if got, ok := x.Lookup(spelling); !ok || got != id {
			t.Errorf("Lookup(%q) = %v, %v", spelling, got, ok)
		}
	}
	if _, ok := x.Lookup("not a code"); ok {
		t.Error("a malformed code was found")
	}
	if err := x.Handle(context.Background(), eventlog.RecordedEvent{Event: appointment.AppointmentCancelled{AppointmentID: id}}); err != nil {
		t.Fatal(err)
	}
}
