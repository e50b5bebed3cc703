package queue_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/queue"
)

func vid(n byte) domain.VisitID {
	var u uuid.UUID
	u[15] = n
	return domain.IDFrom[domain.VisitID](u)
}

func TestOrder(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	m := func(d int) time.Time { return now.Add(time.Duration(d) * time.Minute) }
	entries := []queue.Entry{
		{VisitID: vid(1), KnockedAt: m(-30)},                          // walk-in, earliest
		{VisitID: vid(2), KnockedAt: m(-5), AppointmentSlot: m(5)},    // due, slot 09:05
		{VisitID: vid(3), KnockedAt: m(-20)},                          // walk-in
		{VisitID: vid(4), KnockedAt: m(-2), AppointmentSlot: m(-10)},  // due, slot 08:50
		{VisitID: vid(5), KnockedAt: m(-25), AppointmentSlot: m(60)},  // too early: walk-in order
		{VisitID: vid(6), KnockedAt: m(-40), AppointmentSlot: m(-20)}, // too late: walk-in order
		{VisitID: vid(7), KnockedAt: m(-1), AppointmentSlot: m(10)},   // window opens exactly now
		{VisitID: vid(8), KnockedAt: m(-30)},                          // same knock time as 1: by ID
	}
	got := queue.Order(entries, now, appointment.DefaultCheckInWindow())
	want := []byte{4, 2, 7, 6, 1, 8, 5, 3}
	for i, e := range got {
		if e.VisitID != vid(want[i]) {
			t.Fatalf("position %d = %v, want visit %d (whole order %v)", i+1, e.VisitID, want[i], got)
		}
	}
	if entries[0].VisitID != vid(1) {
		t.Error("Order must not modify its input")
	}
}

func TestEstimateWait(t *testing.T) {
	cases := []struct {
		position, clerks int
		avg              time.Duration
		want             time.Duration
		ok               bool
	}{
		{1, 1, 10 * time.Minute, 5 * time.Minute, true},
		{2, 1, 10 * time.Minute, 15 * time.Minute, true},
		{2, 2, 10 * time.Minute, 5 * time.Minute, true},
		{3, 2, 10 * time.Minute, 15 * time.Minute, true},
		{1, 1, 7 * time.Minute, 4 * time.Minute, true}, // 3.5 rounded up
		{1, 0, 10 * time.Minute, 0, false},
	}
	for _, c := range cases {
		got, ok := queue.EstimateWait(c.position, c.clerks, c.avg)
		if got != c.want || ok != c.ok {
			t.Errorf("EstimateWait(%d, %d, %v) = %v %v, want %v %v", c.position, c.clerks, c.avg, got, ok, c.want, c.ok)
		}
	}
}

func TestAverageCall(t *testing.T) {
	if got := queue.AverageCall(nil); got != queue.DefaultCallDuration {
		t.Errorf("no calls: %v", got)
	}
	recent := make([]time.Duration, 0, 25)
	for i := 0; i < 5; i++ {
		recent = append(recent, time.Hour) // dropped: older than the last 20
	}
	for i := 0; i < 20; i++ {
		recent = append(recent, 6*time.Minute)
	}
	if got := queue.AverageCall(recent); got != 6*time.Minute {
		t.Errorf("average = %v", got)
	}
}

func TestPlaces(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ps := queue.Places([]queue.Entry{
		{VisitID: vid(1), KnockedAt: now.Add(-time.Minute)},
		{VisitID: vid(2), KnockedAt: now, AppointmentSlot: now},
	}, now, appointment.DefaultCheckInWindow(), []time.Duration{8 * time.Minute}, 1)
	if ps[0].VisitID != vid(2) || !ps[0].Prioritised || ps[0].Position != 1 || ps[0].EstimatedWait != 4*time.Minute {
		t.Errorf("first = %+v", ps[0])
	}
	if ps[1].Position != 2 || ps[1].EstimatedWait != 12*time.Minute || !ps[1].WaitKnown {
		t.Errorf("second = %+v", ps[1])
	}
}

// TestOrderTiesByIDString: visits that knocked at the same instant are
// ordered by their IDs' canonical strings (compared as bytes).
func TestOrderTiesByIDString(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var entries []queue.Entry
	for range 200 {
		entries = append(entries, queue.Entry{VisitID: domain.IDFrom[domain.VisitID](uuid.New()), KnockedAt: at})
	}
	got := queue.Order(entries, at, appointment.DefaultCheckInWindow())
	for i := 1; i < len(got); i++ {
		if got[i-1].VisitID.String() >= got[i].VisitID.String() {
			t.Fatalf("%d: %s before %s", i, got[i-1].VisitID, got[i].VisitID)
		}
	}
}

func BenchmarkPlaces(b *testing.B) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var entries []queue.Entry
	for i := range 50 {
		e := queue.Entry{VisitID: domain.IDFrom[domain.VisitID](uuid.New()), KnockedAt: now.Add(-time.Duration(i%7) * time.Minute)}
		if i%5 == 0 {
			e.AppointmentSlot = now.Add(time.Duration(i-25) * time.Minute)
		}
		entries = append(entries, e)
	}
	w := appointment.DefaultCheckInWindow()
	b.ReportAllocs()
	for b.Loop() {
		queue.Places(entries, now, w, nil, 2)
	}
}
