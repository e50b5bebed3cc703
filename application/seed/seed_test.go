package seed_test

import (
	"context"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/seed"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

func TestSeedTwiceChangesNothing(t *testing.T) {
	s := memstore.New()
	env := command.Env{Store: s, Clock: command.SystemClock{}, IDs: command.CryptoIDs{}}
	h, err := offices.NewEstablishOfficeHandler(env)
	if err != nil {
		t.Fatal(err)
	}
	first, err := seed.Run(context.Background(), h)
	if err != nil || first.Created != 4 {
		t.Fatalf("first run: %+v, %v", first, err)
	}
	appends := s.Appends()
	second, err := seed.Run(context.Background(), h)
	if err != nil || second.Created != 0 || second.Existing != 4 || s.Appends() != appends {
		t.Fatalf("second run: %+v, %v, %d appends after %d", second, err, s.Appends(), appends)
	}
	evs := s.Events(office.StreamName(seed.OfficeID("buergerdienste")))
	est := evs[0].Event.(office.OfficeEstablished)
	if len(est.Services) != 4 || est.Services[0].TypicalMinutes != 20 || est.Name != "Bürgerdienste" {
		t.Fatalf("Bürgerdienste: %+v", est)
	}
}

func TestDemoHours(t *testing.T) {
	s := hours.MustNew(seed.Hours())
	b := hours.Location()
	cases := []struct {
		at   time.Time
		open bool
	}{
		{time.Date(2026, 3, 2, 8, 0, 0, 0, b), true},     // Monday morning
		{time.Date(2026, 3, 2, 15, 0, 0, 0, b), false},   // Monday afternoon
		{time.Date(2026, 3, 3, 15, 0, 0, 0, b), true},    // Tuesday afternoon
		{time.Date(2026, 3, 7, 9, 0, 0, 0, b), false},    // Saturday
		{time.Date(2026, 4, 3, 9, 0, 0, 0, b), false},    // Good Friday
		{time.Date(2026, 12, 24, 9, 0, 0, 0, b), true},   // Christmas Eve, short hours
		{time.Date(2026, 12, 24, 11, 0, 0, 0, b), false}, // after the short hours
	}
	for _, c := range cases {
		if got := s.IsOpenAt(c.at); got != c.open {
			t.Errorf("open at %v = %v, want %v", c.at, got, c.open)
		}
	}
	// Derived IDs are part of every link to an office: pin one.
	if got := seed.OfficeID("standesamt").String(); got != "c961695d-5ea0-5d48-80e5-d35952c0e054" {
		t.Fatalf("Standesamt's ID changed to %s", got)
	}
	if seed.OfficeID("standesamt") == seed.OfficeID("buergerdienste") {
		t.Fatal("office IDs not derived per slug")
	}
}

func TestDemoOfficeIsOpenAroundTheClock(t *testing.T) {
	s := hours.MustNew(seed.AroundTheClock())
	b := hours.Location()
	for _, at := range []time.Time{
		time.Date(2026, 3, 8, 3, 0, 0, 0, b),   // Sunday night
		time.Date(2026, 3, 29, 2, 30, 0, 0, b), // the hour DST skips
		time.Date(2026, 12, 25, 23, 59, 0, 0, b),
	} {
		if !s.IsOpenAt(at) {
			t.Errorf("demo office closed at %v", at)
		}
	}
	var found bool
	for _, o := range seed.Offices() {
		if o.OfficeID == seed.OfficeID("demo-sprechstunde") {
			found = true
			if !hours.MustNew(o.Hours).IsOpenAt(time.Date(2026, 3, 8, 3, 0, 0, 0, b)) {
				t.Error("the seeded demo office does not use the round-the-clock hours")
			}
		}
	}
	if !found {
		t.Fatal("no round-the-clock demo office seeded")
	}
}
