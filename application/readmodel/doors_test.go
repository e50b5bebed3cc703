package readmodel_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// TestDoorsDeriveTheStateAsTheOfficeAggregateDoes drives the office
// aggregate through a day and checks, after every step and at several
// instants, that the read model derives the same door as the domain.
func TestDoorsDeriveTheStateAsTheOfficeAggregateDoes(t *testing.T) {
	service, err := office.NewService(domain.IDFrom[domain.ServiceID](uuid.New()), "Personalausweis", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	id, anna, ben := officeID(), clerkID(), clerkID()
	o, err := office.Establish(office.EstablishCommand{
		OfficeID: id, DepartmentID: domain.IDFrom[domain.DepartmentID](uuid.New()), Name: "Bürgerbüro Mitte",
		Services: []office.Service{service}, Hours: hours.MustNew(weekdays8to16()), SlotCapacity: 2,
	}, tuesday(7, 0))
	if err != nil {
		t.Fatal(err)
	}
	at := tuesday(9, 0)
	steps := []struct {
		name string
		do   func() error
		want office.DoorState // at 10:00 on a Tuesday
	}{
		{"established", func() error { return nil }, office.DoorClosed},
		{"anna on duty", func() error { return o.GoOnDuty(anna, at) }, office.DoorOpen},
		{"anna in a call", func() error { return o.StartCall(anna, visitID(), at) }, office.DoorBusy},
		{"ben on duty", func() error { return o.GoOnDuty(ben, at) }, office.DoorOpen},
		{"ben paused", func() error { return o.Pause(ben, at) }, office.DoorBusy},
		{"anna's call ended", func() error { return o.EndCall(anna, visitFromCall(o, anna), at) }, office.DoorOpen},
		{"anna paused", func() error { return o.Pause(anna, at) }, office.DoorPaused},
		{"ben resumed", func() error { return o.Resume(ben, at) }, office.DoorOpen},
		{"hours cut to 08-09", func() error {
			s := weekdays8to16()
			for i := range s.Weekly {
				s.Weekly[i].Intervals[0].To = "09:00"
			}
			return o.SetHours(hours.MustNew(s), at)
		}, office.DoorClosed},
	}
	doors := readmodel.NewDoors(nil)
	f := newFeed(t)
	instants := []time.Time{tuesday(8, 30), tuesday(10, 0), tuesday(16, 0), tuesday(20, 0), tuesday(10, 0).AddDate(0, 0, 4)}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		changes := o.Changes()
		f.to(doors, changes[len(f.log):]...)
		got, ok := doors.Door(id, tuesday(10, 0))
		if !ok || got.State != st.want {
			t.Errorf("%s: door at 10:00 = %v (known %v), want %v", st.name, got.State, ok, st.want)
		}
		for _, when := range instants {
			v, _ := doors.Door(id, when)
			if want := o.Door(when); v.State != want {
				t.Errorf("%s: door at %v = %v, domain says %v", st.name, when, v.State, want)
			}
			if v.Clerks != o.Clerks() {
				t.Errorf("%s: clerks %+v, domain says %+v", st.name, v.Clerks, o.Clerks())
			}
		}
	}
}

// visitFromCall finds the visit a clerk is in a call with (from the events).
func visitFromCall(o *office.Office, clerk domain.ClerkID) domain.VisitID {
	var v domain.VisitID
	for _, e := range o.Changes() {
		if c, ok := e.(office.ClerkCallStarted); ok && c.ClerkID == clerk {
			v = c.VisitID
		}
	}
	return v
}

func TestDoorsNotifyAndIgnoreRedelivery(t *testing.T) {
	n := &recordingNotifier{}
	doors := readmodel.NewDoors(n)
	id, anna := officeID(), clerkID()
	f := newFeed(t)
	f.to(doors, established(id, domain.IDFrom[domain.ServiceID](uuid.New())), office.ClerkWentOnDuty{OfficeID: id, ClerkID: anna, At: tuesday(8, 0)})
	if got := n.take(); len(got) != 2 || got[1].Kind != readside.KindDoor || got[1].OfficeID != id {
		t.Fatalf("changes %+v, want two door changes for the office", got)
	}
	before := doors.All(tuesday(10, 0))
	f.replay(doors)
	if got := n.take(); len(got) != 0 {
		t.Errorf("re-delivery notified %d changes, want 0", len(got))
	}
	after := doors.All(tuesday(10, 0))
	if len(after) != 1 || after[0] != before[0] || after[0].Clerks.OnDuty != 1 {
		t.Errorf("re-delivery changed the model: %+v → %+v", before, after)
	}
	if want := tuesday(16, 0); !after[0].ClosesAt.Equal(want) {
		t.Errorf("ClosesAt = %v, want %v", after[0].ClosesAt, want)
	}
}

func TestDoorsTickNotifiesAtClosingTime(t *testing.T) {
	n := &recordingNotifier{}
	doors := readmodel.NewDoors(n)
	id := officeID()
	f := newFeed(t)
	f.to(doors, established(id, domain.IDFrom[domain.ServiceID](uuid.New())), office.ClerkWentOnDuty{OfficeID: id, ClerkID: clerkID(), At: tuesday(8, 0)})
	n.take()
	ctx := context.Background()
	ticks := []struct {
		at   time.Time
		want int
	}{
		{tuesday(15, 58), 1}, // first tick learns the state
		{tuesday(15, 59), 0},
		{tuesday(16, 0), 1}, // closing time
		{tuesday(16, 1), 0},
	}
	for _, tk := range ticks {
		doors.Tick(ctx, tk.at)
		if got := n.take(); len(got) != tk.want {
			t.Errorf("tick at %v notified %d, want %d", tk.at.Format("15:04"), len(got), tk.want)
		}
	}
}
