package readmodel_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

func TestTimers(t *testing.T) {
	o, other := officeID(), officeID()
	v := visitID()
	appt := domain.IDFrom[domain.AppointmentID](uuid.New())
	slot := tuesday(10, 0)
	booked := appointment.AppointmentBooked{AppointmentID: appt, OfficeID: o, SlotStart: slot, SlotEnd: slot.Add(15 * time.Minute)}
	expiry := func(due time.Time) readside.Timer {
		return readside.Timer{Kind: readside.TimerVisitExpiry, OfficeID: o, VisitID: v, Due: due}
	}
	noShow := func(start time.Time) readside.Timer {
		return readside.Timer{Kind: readside.TimerAppointmentNoShow, OfficeID: o, AppointmentID: appt, Due: start.Add(15*time.Minute + time.Second)}
	}
	cases := []struct {
		name   string
		events []domain.Event
		want   []readside.Timer
	}{
		{"presence lost arms expiry after the grace period",
			[]domain.Event{knocked(v, o, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 10)}},
			[]readside.Timer{expiry(tuesday(9, 12))}},
		{"presence regained disarms",
			[]domain.Event{knocked(v, o, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 10)}, visit.VisitPresenceRegained{VisitID: v}},
			nil},
		{"withdrawn disarms",
			[]domain.Event{knocked(v, o, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 10)}, visit.VisitWithdrawn{VisitID: v}},
			nil},
		{"presence lost while admitted arms nothing",
			[]domain.Event{knocked(v, o, tuesday(9, 0)), visit.VisitAdmitted{VisitID: v, OfficeID: o}, visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 10)}},
			nil},
		{"back in the waiting room, presence lost arms again",
			[]domain.Event{knocked(v, o, tuesday(9, 0)), visit.VisitAdmitted{VisitID: v, OfficeID: o}, visit.VisitReturnedToWaitingRoom{VisitID: v}, visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 20)}},
			[]readside.Timer{expiry(tuesday(9, 22))}},
		{"referred while away: the timer follows the visit",
			[]domain.Event{knocked(v, other, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 10)}, visit.VisitReferred{VisitID: v, FromOfficeID: other, ToOfficeID: o}},
			[]readside.Timer{expiry(tuesday(9, 12))}},
		{"booked arms the no-show just after the check-in window",
			[]domain.Event{booked},
			[]readside.Timer{noShow(slot)}},
		{"rescheduled moves it",
			[]domain.Event{booked, appointment.AppointmentRescheduled{AppointmentID: appt, FromStart: slot, ToStart: slot.Add(time.Hour)}},
			[]readside.Timer{noShow(slot.Add(time.Hour))}},
		{"checked in disarms",
			[]domain.Event{booked, appointment.AppointmentCheckedIn{AppointmentID: appt, VisitID: v}},
			nil},
		{"cancelled disarms",
			[]domain.Event{booked, appointment.AppointmentCancelled{AppointmentID: appt}},
			nil},
		{"no-show recorded disarms",
			[]domain.Event{booked, appointment.AppointmentNoShowRecorded{AppointmentID: appt}},
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := readmodel.NewTimers(0, appointment.CheckInWindow{})
			f := newFeed(t)
			f.to(tm, c.events...)
			f.replay(tm)
			if got := tm.Pending(); (len(got) != 0 || len(c.want) != 0) && !reflect.DeepEqual(got, c.want) {
				t.Errorf("pending %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestTimersDueOnlyWhenDueAndDriveTheScheduler(t *testing.T) {
	o, v := officeID(), visitID()
	tm := readmodel.NewTimers(time.Minute, appointment.CheckInWindow{})
	newFeed(t).to(tm, knocked(v, o, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: v, At: tuesday(9, 10)})
	if got := tm.Due(tuesday(9, 10).Add(59 * time.Second)); len(got) != 0 {
		t.Errorf("due before the grace period: %+v", got)
	}
	clock := &fixedClock{now: tuesday(9, 11)}
	actions := &countingActions{}
	s, err := readside.NewScheduler(readside.SchedulerConfig{Clock: clock, Timers: tm, Actions: actions})
	if err != nil {
		t.Fatal(err)
	}
	s.Tick(context.Background())
	if len(actions.expired) != 1 || actions.expired[0] != v {
		t.Errorf("expired %v, want the visit", actions.expired)
	}
}

type fixedClock struct{ now time.Time }

func (c *fixedClock) Now() time.Time { return c.now }

type countingActions struct {
	expired []domain.VisitID
	noShows []domain.AppointmentID
}

func (a *countingActions) ExpireVisit(_ context.Context, id domain.VisitID) error {
	a.expired = append(a.expired, id)
	return nil
}

func (a *countingActions) PresenceLostAtStart(context.Context, []domain.VisitID) error { return nil }

func (a *countingActions) MarkNoShow(_ context.Context, id domain.AppointmentID) error {
	a.noShows = append(a.noShows, id)
	return nil
}

// TestTimersPresentAreTheWaitingVisitsWithoutALoss: what the scheduler
// treats as lost at start.
func TestTimersPresentAreTheWaitingVisitsWithoutALoss(t *testing.T) {
	o := officeID()
	present, away, regained, admitted, gone := visitID(), visitID(), visitID(), visitID(), visitID()
	tm := readmodel.NewTimers(0, appointment.CheckInWindow{})
	newFeed(t).to(tm,
		knocked(present, o, tuesday(9, 0)),
		knocked(away, o, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: away, At: tuesday(9, 5)},
		knocked(regained, o, tuesday(9, 0)), visit.VisitPresenceLost{VisitID: regained, At: tuesday(9, 5)}, visit.VisitPresenceRegained{VisitID: regained},
		knocked(admitted, o, tuesday(9, 0)), visit.VisitAdmitted{VisitID: admitted, OfficeID: o},
		knocked(gone, o, tuesday(9, 0)), visit.VisitWithdrawn{VisitID: gone},
	)
	got := map[domain.VisitID]bool{}
	for _, v := range tm.Present() {
		got[v] = true
	}
	if len(got) != 2 || !got[present] || !got[regained] {
		t.Fatalf("Present = %v, want exactly the present and the regained visit", tm.Present())
	}
}
