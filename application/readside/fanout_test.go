package readside_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

func TestFilterMatches(t *testing.T) {
	office := domain.IDFrom[domain.OfficeID](uuid.New())
	visit := domain.IDFrom[domain.VisitID](uuid.New())
	other := domain.IDFrom[domain.VisitID](uuid.New())
	c := readside.Change{Kind: readside.KindQueue, OfficeID: office, VisitID: visit}
	cases := []struct {
		name string
		f    readside.Filter
		want bool
	}{
		{"everything", readside.Filter{}, true},
		{"same kind", readside.Filter{Kinds: []readside.Kind{readside.KindDoor, readside.KindQueue}}, true},
		{"other kind", readside.Filter{Kinds: []readside.Kind{readside.KindDoor}}, false},
		{"same office", readside.Filter{OfficeID: office}, true},
		{"other office", readside.Filter{OfficeID: domain.IDFrom[domain.OfficeID](uuid.New())}, false},
		{"same visit", readside.Filter{VisitID: visit}, true},
		{"other visit", readside.Filter{VisitID: other}, false},
		{"case filter on a visit change", readside.Filter{CaseID: domain.IDFrom[domain.CaseID](uuid.New())}, false},
	}
	for _, tc := range cases {
		if got := tc.f.Matches(c); got != tc.want {
			t.Errorf("%s: Matches = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFanoutDeliversMatchingChanges(t *testing.T) {
	f := readside.NewFanout(8)
	office := domain.IDFrom[domain.OfficeID](uuid.New())
	mine, cancelMine := f.Subscribe(readside.Filter{OfficeID: office})
	defer cancelMine()
	all, cancelAll := f.Subscribe(readside.Filter{})
	defer cancelAll()

	f.Notify(readside.Change{Kind: readside.KindDoor, OfficeID: domain.IDFrom[domain.OfficeID](uuid.New())})
	f.Notify(readside.Change{Kind: readside.KindDoor, OfficeID: office, Position: eventlog.Position{Commit: 7}})

	if got := <-mine; got.OfficeID != office || got.Position.Commit != 7 {
		t.Errorf("office subscriber got %+v", got)
	}
	if len(mine) != 0 {
		t.Errorf("office subscriber got %d more changes, want 0", len(mine))
	}
	if len(all) != 2 {
		t.Errorf("unfiltered subscriber has %d changes, want 2", len(all))
	}
}

func TestFanoutSlowSubscriberNeverBlocksAndLearnsWhatItMissed(t *testing.T) {
	f := readside.NewFanout(4)
	slow, cancel := f.Subscribe(readside.Filter{})
	defer cancel()

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= 100; i++ {
			f.Notify(readside.Change{Kind: readside.KindQueue, Position: eventlog.Position{Commit: uint64(i)}})
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Notify blocked on a subscriber that does not read")
	}
	var got []readside.Change
	for len(slow) > 0 {
		got = append(got, <-slow)
	}
	if len(got) != 4 {
		t.Fatalf("buffered %d changes, want 4", len(got))
	}
	if last := got[len(got)-1]; last.Position.Commit != 100 {
		t.Errorf("newest change kept is %d, want 100", last.Position.Commit)
	}
	missed := 0
	for _, c := range got {
		missed += c.Missed
	}
	if missed != 96 {
		t.Errorf("changes report %d missed, want 96", missed)
	}
	if f.Dropped() != 96 {
		t.Errorf("Dropped = %d, want 96", f.Dropped())
	}
}

func TestFanoutCancelClosesAndIsIdempotent(t *testing.T) {
	f := readside.NewFanout(1)
	ch, cancel := f.Subscribe(readside.Filter{})
	cancel()
	cancel()
	if _, ok := <-ch; ok {
		t.Error("channel still open after cancel")
	}
	if n := f.Subscribers(); n != 0 {
		t.Errorf("Subscribers = %d after cancel, want 0", n)
	}
	f.Notify(readside.Change{Kind: readside.KindDoor}) // must not panic on a closed channel
}

func TestFanoutConcurrentNotifySubscribeCancel(t *testing.T) {
	f := readside.NewFanout(2)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				f.Notify(readside.Change{Kind: readside.KindQueue})
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				_, cancel := f.Subscribe(readside.Filter{})
				cancel()
			}
		}()
	}
	wg.Wait()
	if n := f.Subscribers(); n != 0 {
		t.Errorf("Subscribers = %d, want 0", n)
	}
}

func TestFanoutVisitSubscriptionsGetOnlyTheirVisit(t *testing.T) {
	f := readside.NewFanout(8)
	v1, v2 := domain.IDFrom[domain.VisitID](uuid.New()), domain.IDFrom[domain.VisitID](uuid.New())
	office := domain.IDFrom[domain.OfficeID](uuid.New())
	a, cancelA := f.Subscribe(readside.Filter{VisitID: v1})
	b, cancelB := f.Subscribe(readside.Filter{VisitID: v1, Kinds: []readside.Kind{readside.KindVisit}})
	c, cancelC := f.Subscribe(readside.Filter{VisitID: v2})
	defer cancelC()
	f.Notify(readside.Change{Kind: readside.KindQueue, OfficeID: office, VisitID: v1})
	f.Notify(readside.Change{Kind: readside.KindQueue, OfficeID: office}) // office-level: no visit page
	if len(a) != 1 || len(b) != 0 || len(c) != 0 {
		t.Errorf("buffered %d, %d, %d; want 1, 0, 0", len(a), len(b), len(c))
	}
	cancelA()
	cancelB()
	if n := f.Subscribers(); n != 1 {
		t.Errorf("Subscribers = %d, want 1", n)
	}
	f.Notify(readside.Change{Kind: readside.KindVisit, VisitID: v1}) // no one left for v1
}

// BenchmarkFanoutQueueMove notifies one queue move of an office with 100
// waiting visits (101 changes) while 2,000 waiting pages and 50 clerk views
// are subscribed, reading nothing.
func BenchmarkFanoutQueueMove(b *testing.B) {
	f := readside.NewFanout(4)
	offices := make([]domain.OfficeID, 20)
	for i := range offices {
		offices[i] = domain.IDFrom[domain.OfficeID](uuid.New())
		_, cancel := f.Subscribe(readside.Filter{OfficeID: offices[i], Kinds: []readside.Kind{readside.KindQueue}})
		defer cancel()
		_, cancel2 := f.Subscribe(readside.Filter{OfficeID: offices[i], Kinds: []readside.Kind{readside.KindDoor}})
		defer cancel2()
	}
	visits := make([]domain.VisitID, 2000)
	for i := range visits {
		visits[i] = domain.IDFrom[domain.VisitID](uuid.New())
		_, cancel := f.Subscribe(readside.Filter{VisitID: visits[i]})
		defer cancel()
	}
	for b.Loop() {
		f.Notify(readside.Change{Kind: readside.KindQueue, OfficeID: offices[0]})
		for _, v := range visits[:100] {
			f.Notify(readside.Change{Kind: readside.KindQueue, OfficeID: offices[0], VisitID: v})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/move")
}
