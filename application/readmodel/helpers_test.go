package readmodel_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// feed hands events to h as recorded events at consecutive positions
// starting after *pos, and fails the test on an error.
type feed struct {
	t   *testing.T
	pos uint64
	log []eventlog.RecordedEvent
}

func newFeed(t *testing.T) *feed { return &feed{t: t} }

func (f *feed) to(h readside.Handler, events ...domain.Event) {
	f.t.Helper()
	for _, e := range events {
		f.pos += 100
		re := eventlog.RecordedEvent{
			Stream: "test", ID: uuid.New(), Type: e.EventType(), Event: e,
			Position: eventlog.Position{Commit: f.pos, Prepare: f.pos},
		}
		f.log = append(f.log, re)
		if err := h.Handle(context.Background(), re); err != nil {
			f.t.Fatalf("Handle %s: %v", e.EventType(), err)
		}
	}
}

// replay hands every event fed so far to h again (at-least-once delivery).
func (f *feed) replay(h readside.Handler) {
	f.t.Helper()
	for _, re := range f.log {
		if err := h.Handle(context.Background(), re); err != nil {
			f.t.Fatalf("Handle %s again: %v", re.Type, err)
		}
	}
}

func officeID() domain.OfficeID { return domain.IDFrom[domain.OfficeID](uuid.New()) }
func clerkID() domain.ClerkID   { return domain.IDFrom[domain.ClerkID](uuid.New()) }
func visitID() domain.VisitID   { return domain.IDFrom[domain.VisitID](uuid.New()) }

// weekdays8to16 is Monday to Friday 08:00-16:00 in Berlin.
func weekdays8to16() hours.Spec {
	var s hours.Spec
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		s.Weekly = append(s.Weekly, hours.DaySpec{Weekday: d, Intervals: []hours.IntervalSpec{{From: "08:00", To: "16:00"}}})
	}
	return s
}

var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return l
}()

// tuesday is a Tuesday in Berlin at hh:mm.
func tuesday(hh, mm int) time.Time { return time.Date(2026, 11, 24, hh, mm, 0, 0, berlin) }

func established(id domain.OfficeID, service domain.ServiceID) office.OfficeEstablished {
	return office.OfficeEstablished{
		OfficeID: id, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: "Bürgerbüro Mitte",
		Services: []office.ServiceData{{ID: service, Name: "Personalausweis", TypicalMinutes: 15}},
		Hours:    weekdays8to16(), SlotCapacity: 2, EstablishedAt: tuesday(7, 0),
	}
}

// recordingNotifier collects changes.
type recordingNotifier struct {
	readside.ChangeNotifier
	got []readside.Change
}

func (r *recordingNotifier) Notify(c readside.Change) { r.got = append(r.got, c) }

func (r *recordingNotifier) take() []readside.Change {
	out := r.got
	r.got = nil
	return out
}
