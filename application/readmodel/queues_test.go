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
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

func knocked(v domain.VisitID, o domain.OfficeID, at time.Time) visit.VisitKnocked {
	return visit.VisitKnocked{VisitID: v, OfficeID: o, ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), DisplayName: "Erika", KnockedAt: at}
}

func order(v readmodel.QueueView) []domain.VisitID {
	var out []domain.VisitID
	for _, w := range v.Waiting {
		out = append(out, w.VisitID)
	}
	return out
}

func TestQueuesOrderEstimateAndFollowVisits(t *testing.T) {
	n := &recordingNotifier{}
	q := readmodel.NewQueues(n, appointment.CheckInWindow{})
	f := newFeed(t)
	mitte, nord := officeID(), officeID()
	anna, ben := clerkID(), clerkID()
	a, b, c := visitID(), visitID(), visitID()
	now := tuesday(10, 0)

	f.to(q, office.ClerkWentOnDuty{OfficeID: mitte, ClerkID: anna}, office.ClerkWentOnDuty{OfficeID: mitte, ClerkID: ben})
	f.to(q, knocked(a, mitte, tuesday(9, 40)), knocked(b, mitte, tuesday(9, 45)))
	withAppt := knocked(c, mitte, tuesday(9, 55))
	withAppt.AppointmentID = domain.IDFrom[domain.AppointmentID](uuid.New())
	withAppt.AppointmentSlot = tuesday(10, 5) // due now: goes first
	f.to(q, withAppt)

	view := q.Queue(mitte, now)
	if got, want := order(view), []domain.VisitID{c, a, b}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// 2 clerks serving, default 10 min calls: waits 5, 5, 15 minutes.
	for i, want := range []time.Duration{5 * time.Minute, 5 * time.Minute, 15 * time.Minute} {
		if w := view.Waiting[i]; w.EstimatedWait != want || !w.WaitKnown || w.Position != i+1 {
			t.Errorf("place %d: %+v, want position %d and wait %v", i, w.Place, i+1, want)
		}
	}
	if !view.Waiting[0].Prioritised {
		t.Error("the due appointment is not prioritised")
	}

	// Admitting c moves a and b up: each waiting citizen's page is told.
	n.take()
	f.to(q, visit.VisitAdmitted{VisitID: c, OfficeID: mitte, ClerkID: anna, CaseID: domain.IDFrom[domain.CaseID](uuid.New()), CallID: domain.IDFrom[domain.CallID](uuid.New())})
	told := map[domain.VisitID]readside.Kind{}
	for _, ch := range n.take() {
		told[ch.VisitID] = ch.Kind
	}
	if told[a] != readside.KindQueue || told[b] != readside.KindQueue || told[c] != readside.KindVisit {
		t.Errorf("changes after admission: %v; want queue changes for a and b, a visit change for c", told)
	}
	if _, ok := told[domain.VisitID{}]; !ok {
		t.Error("no office-level queue change after admission")
	}
	va, _ := q.Visit(a, now)
	if va.Place == nil || va.Place.Position != 1 {
		t.Errorf("a's place %+v, want position 1", va.Place)
	}
	vc, _ := q.Visit(c, now)
	if vc.Status != visit.StatusAdmitted || vc.Place != nil || vc.ClerkID != anna {
		t.Errorf("c = %+v, want admitted by anna without a place", vc)
	}
	if in := q.InService(mitte); len(in) != 1 || in[0].VisitID != c {
		t.Errorf("in service %+v, want c", in)
	}

	// c returns to the waiting room and keeps its knock time; b is referred to nord.
	f.to(q, visit.VisitCallStarted{VisitID: c}, visit.VisitCallEnded{VisitID: c, DurationSeconds: 240}, visit.VisitReturnedToWaitingRoom{VisitID: c})
	f.to(q, visit.VisitReferred{VisitID: b, FromOfficeID: mitte, ToOfficeID: nord, ToServiceID: domain.IDFrom[domain.ServiceID](uuid.New())})
	view = q.Queue(mitte, tuesday(11, 0)) // c's check-in window is over: knock time counts
	if got, want := order(view), []domain.VisitID{a, c}; !reflect.DeepEqual(got, want) {
		t.Errorf("mitte order %v, want %v", got, want)
	}
	if view.AverageCall != 4*time.Minute {
		t.Errorf("average call %v, want 4m", view.AverageCall)
	}
	if got := order(q.Queue(nord, now)); !reflect.DeepEqual(got, []domain.VisitID{b}) {
		t.Errorf("nord order %v, want [b]", got)
	}
	if w := q.Queue(nord, now).Waiting[0]; w.WaitKnown {
		t.Error("a wait is known in an office without clerks")
	}

	// A clerk writes to a: its page is told, the text stays out of the model.
	n.take()
	f.to(q, visit.VisitMessageSent{VisitID: a, Text: "Bitte Ausweis bereithalten"})
	if got := n.take(); len(got) != 1 || got[0].Kind != readside.KindVisit || got[0].VisitID != a {
		t.Errorf("message changes %+v, want one visit change for a", got)
	}
	if v, _ := q.Visit(a, now); v.MessagesSent != 1 {
		t.Errorf("MessagesSent = %d, want 1", v.MessagesSent)
	}

	// Leaving the queue in every final way.
	f.to(q, visit.VisitPresenceLost{VisitID: a})
	if v, _ := q.Visit(a, now); v.Present {
		t.Error("a is still present after presence was lost")
	}
	f.to(q, visit.VisitExpired{VisitID: a, ExpiredAt: now}, visit.VisitWithdrawn{VisitID: c}, visit.VisitDeclined{VisitID: b})
	for id, want := range map[domain.VisitID]visit.Status{a: visit.StatusExpired, b: visit.StatusDeclined, c: visit.StatusWithdrawn} {
		if v, _ := q.Visit(id, now); v.Status != want {
			t.Errorf("status %v, want %v", v.Status, want)
		}
	}
	if len(q.Queue(mitte, now).Waiting)+len(q.Queue(nord, now).Waiting) != 0 {
		t.Error("queues not empty after every visit left")
	}
	if in := q.InService(mitte); len(in) != 0 {
		t.Errorf("in service after every visit left: %+v", in)
	}
}

func TestQueuesRedeliveryChangesNothing(t *testing.T) {
	n := &recordingNotifier{}
	q := readmodel.NewQueues(n, appointment.CheckInWindow{})
	f := newFeed(t)
	o := officeID()
	f.to(q, office.ClerkWentOnDuty{OfficeID: o, ClerkID: clerkID()}, knocked(visitID(), o, tuesday(9, 0)), knocked(visitID(), o, tuesday(9, 1)))
	f.to(q, visit.VisitCallEnded{VisitID: visitID(), DurationSeconds: 60}) // unknown visit: ignored
	before := q.Queue(o, tuesday(10, 0))
	n.take()
	f.replay(q)
	if got := n.take(); len(got) != 0 {
		t.Errorf("re-delivery notified %d changes", len(got))
	}
	if after := q.Queue(o, tuesday(10, 0)); !reflect.DeepEqual(before, after) {
		t.Errorf("re-delivery changed the queue:\n%+v\n%+v", before, after)
	}
}

func TestQueuesTickNotifiesWhenAnAppointmentBecomesDue(t *testing.T) {
	n := &recordingNotifier{}
	q := readmodel.NewQueues(n, appointment.DefaultCheckInWindow())
	f := newFeed(t)
	o := officeID()
	walkIn, appt := visitID(), visitID()
	k := knocked(appt, o, tuesday(9, 30))
	k.AppointmentSlot = tuesday(10, 0)
	f.to(q, knocked(walkIn, o, tuesday(9, 0)), k)
	n.take()
	ctx := context.Background()
	q.Tick(ctx, tuesday(9, 40)) // first tick learns the order
	n.take()
	q.Tick(ctx, tuesday(9, 45))
	if got := n.take(); len(got) != 0 {
		t.Errorf("tick without a move notified %d", len(got))
	}
	q.Tick(ctx, tuesday(9, 50)) // window opens 10 min before the slot
	got := n.take()
	if len(got) != 3 { // office + two waiting visits
		t.Errorf("tick at window opening notified %d changes, want 3", len(got))
	}
}

func TestQueuesTickDropsVisitsFinishedLongAgo(t *testing.T) {
	q := readmodel.NewQueues(nil, appointment.CheckInWindow{})
	o, done, waiting := officeID(), visitID(), visitID()
	newFeed(t).to(q, knocked(done, o, tuesday(9, 0)), knocked(waiting, o, tuesday(9, 1)), visit.VisitWithdrawn{VisitID: done, WithdrawnAt: tuesday(9, 5)})
	ctx := context.Background()
	q.Tick(ctx, tuesday(9, 5).Add(readmodel.DefaultRetention))
	if _, ok := q.Visit(done, tuesday(10, 0)); !ok {
		t.Error("a finished visit was dropped within the retention period")
	}
	q.Tick(ctx, tuesday(9, 6).Add(readmodel.DefaultRetention))
	if _, ok := q.Visit(done, tuesday(10, 0)); ok {
		t.Error("a finished visit is kept after the retention period")
	}
	if _, ok := q.Visit(waiting, tuesday(10, 0)); !ok {
		t.Error("a waiting visit was dropped")
	}
}

// TestQueuesSnapshotFollowsEventsAndWindows: the ordered view is reused
// between reads, and read afresh when an event moved the queue or an
// appointment's check-in window opened or closed; every read equals the
// order a model that never cached gives at that instant.
func TestQueuesSnapshotFollowsEventsAndWindows(t *testing.T) {
	w := appointment.DefaultCheckInWindow() // 10 min before to 15 min after
	q := readmodel.NewQueues(nil, w)
	f := newFeed(t)
	o := officeID()
	walkIn, appt, late := visitID(), visitID(), visitID()
	k := knocked(appt, o, tuesday(9, 30))
	k.AppointmentSlot = tuesday(10, 0)
	events := []domain.Event{knocked(walkIn, o, tuesday(9, 0)), k}
	f.to(q, events...)
	fresh := func(now time.Time) readmodel.QueueView {
		t.Helper()
		g := newFeed(t)
		r := readmodel.NewQueues(nil, w)
		g.to(r, events...)
		return r.Queue(o, now)
	}
	check := func(now time.Time, want []domain.VisitID) *readmodel.QueueSnapshot {
		t.Helper()
		s := q.QueueSnapshot(o, now)
		if got := order(s.View); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: order %v, want %v", now.Format("15:04:05.000"), got, want)
		}
		if got, want := q.Queue(o, now), fresh(now); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: queue %+v, an uncached model has %+v", now.Format("15:04:05.000"), got, want)
		}
		return s
	}
	before := check(tuesday(9, 40), []domain.VisitID{walkIn, appt})
	if again := check(tuesday(9, 49), []domain.VisitID{walkIn, appt}); again != before {
		t.Error("no event and no window moved, but the snapshot was not reused")
	}
	opened := check(tuesday(9, 50), []domain.VisitID{appt, walkIn}) // opens exactly now
	if opened == before {
		t.Error("the window opened, but the old snapshot was reused")
	}
	if again := check(tuesday(10, 15), []domain.VisitID{appt, walkIn}); again != opened { // closes exactly now: still due
		t.Error("snapshot not reused inside the window")
	}
	check(tuesday(10, 15).Add(time.Nanosecond), []domain.VisitID{walkIn, appt})
	check(tuesday(9, 49), []domain.VisitID{walkIn, appt}) // a clock may go back

	// An event moves the queue: the snapshot is not reused.
	prev := q.QueueSnapshot(o, tuesday(9, 55))
	events = append(events, knocked(late, o, tuesday(9, 55)))
	f.to(q, events[len(events)-1])
	if s := check(tuesday(9, 55), []domain.VisitID{appt, walkIn, late}); s == prev {
		t.Error("an event moved the queue, but the old snapshot was reused")
	}
	// Presence is in the view too.
	events = append(events, visit.VisitPresenceLost{VisitID: walkIn})
	f.to(q, events[len(events)-1])
	if s := check(tuesday(9, 55), []domain.VisitID{appt, walkIn, late}); s.View.Waiting[1].Present {
		t.Error("presence lost, but the snapshot still shows the visit present")
	}
	// Queue hands out copies: changing one leaves the snapshot alone.
	v := q.Queue(o, tuesday(9, 55))
	v.Waiting[0].Present = false
	if !q.QueueSnapshot(o, tuesday(9, 55)).View.Waiting[0].Present {
		t.Error("changing a returned view changed the shared snapshot")
	}
}
