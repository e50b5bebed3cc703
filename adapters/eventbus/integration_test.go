package eventbus_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readmodel/readmodeltest"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// scenarioDay is 08:00 in Berlin, in UTC as times come back from JSON.
var scenarioDay = time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)

// TestReadModelsFollowTheEmbeddedNodeAndRebuildEqualAfterRestart appends
// office days through adapters/eventstore to the embedded node over gRPC,
// lets the forwarder and router project them, checks the read models
// against a direct projection, follows a live knock with read-your-writes
// and a visit's change feed, then stops node and read side, starts both
// again over the same data and compares every read model.
func TestReadModelsFollowTheEmbeddedNodeAndRebuildEqualAfterRestart(t *testing.T) {
	dir := t.TempDir()
	nd := startNode(t, dir)
	evs := readmodeltest.Scenario{Seed: 7, Offices: 2, Visits: 40, Day: scenarioDay}.Generate()
	appendAll(t, nd.store, evs)

	rs := startReadSide(t, nd.store, nd.reg)
	slow, cancelSlow := rs.fanout.Subscribe(readside.Filter{}) // never read: must not block
	defer cancelSlow()
	rs.waitReady(t)

	now := scenarioDay.Add(4 * time.Hour)
	want := readmodel.New(readmodel.Config{})
	for i, e := range evs {
		re := eventlog.RecordedEvent{Stream: e.Stream, Type: e.Event.EventType(), Event: e.Event, Position: eventlog.Position{Commit: uint64(i + 1), Prepare: uint64(i + 1)}}
		for _, h := range want.Handlers() {
			if err := h.Handle(context.Background(), re); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := rs.models.Snapshot(now)
	if diff := snapshotDiff(got, want.Snapshot(now)); diff != "" {
		t.Fatalf("the read models fed through the node differ from a direct projection of the same events: %s", diff)
	}

	// Live: a knock, read-your-writes, the citizen's change feed.
	office := got.Doors[0].OfficeID
	v := domain.IDFrom[domain.VisitID](uuid.New())
	mine, cancel := rs.fanout.Subscribe(readside.Filter{VisitID: v})
	defer cancel()
	res, err := nd.store.Append(context.Background(), visit.StreamName(v), eventlog.ExpectNoStream(), newEvent(visit.VisitKnocked{
		VisitID: v, RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: office,
		ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), DisplayName: "Erika Mustermann", Language: visit.German, KnockedAt: now,
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancelWait := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelWait()
	if err := rs.bus.WaitFor(ctx, res.Position); err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	view, ok := rs.models.Queues.Visit(v, now)
	if !ok || view.Status != visit.StatusWaiting || view.Place == nil {
		t.Fatalf("after WaitFor the visit is %+v (known %v), want waiting with a place", view, ok)
	}
	select {
	case c := <-mine:
		if c.VisitID != v || c.Position != res.Position {
			t.Errorf("change %+v, want one for the visit at the append's position", c)
		}
	case <-ctx.Done():
		t.Fatal("no change for the visit's page")
	}
	if len(slow) == 0 || rs.fanout.Dropped() == 0 {
		t.Errorf("the never-reading subscriber holds %d changes and %d were dropped; want a full buffer and drops", len(slow), rs.fanout.Dropped())
	}

	// Restart everything from scratch over the same data.
	before := rs.models.Snapshot(now)
	rs.stop()
	nd.stop()
	nd2 := startNode(t, dir)
	rs2 := startReadSide(t, nd2.store, nd2.reg)
	rs2.waitReady(t)
	if diff := snapshotDiff(before, rs2.models.Snapshot(now)); diff != "" {
		t.Errorf("the read models rebuilt after a restart differ from those before: %s", diff)
	}

	// The timers survived: the scheduler of the new process fires them.
	actions := &firedActions{}
	sched, err := readside.NewScheduler(readside.SchedulerConfig{
		Clock: fixedClock(scenarioDay.Add(48 * time.Hour)), Timers: rs2.models.Timers, Actions: actions, Tickers: rs2.models.Tickers(),
	})
	if err != nil {
		t.Fatal(err)
	}
	sched.Tick(context.Background())
	if len(actions.visits) != 2 || len(actions.appointments) != 2 {
		t.Errorf("after the restart the scheduler expired %d visits and marked %d no-shows, want 2 and 2 (one each per office)",
			len(actions.visits), len(actions.appointments))
	}
}

// snapshotDiff names the read models that differ (deep equality).
func snapshotDiff(a, b readmodel.Snapshot) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	diff := ""
	for i := 0; i < va.NumField(); i++ {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			diff += fmt.Sprintf("%s: %+v\n   vs %+v\n", va.Type().Field(i).Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	if !reflect.DeepEqual(a, b) && diff == "" {
		diff = "(differs, field unknown)"
	}
	return diff
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

type firedActions struct {
	visits       []domain.VisitID
	appointments []domain.AppointmentID
}

func (a *firedActions) ExpireVisit(_ context.Context, id domain.VisitID) error {
	a.visits = append(a.visits, id)
	return nil
}

func (a *firedActions) MarkNoShow(_ context.Context, id domain.AppointmentID) error {
	a.appointments = append(a.appointments, id)
	return nil
}

// PresenceLostAtStart: nothing is present in this test's history.
func (a *firedActions) PresenceLostAtStart(context.Context, []domain.VisitID) error { return nil }
