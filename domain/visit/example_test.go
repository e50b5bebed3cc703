package visit_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// How an application handler uses the aggregates: load from the stream's
// events, call one method, append Changes() with expected revision
// Version()-1 (or "no stream" when Version() is 0).
func Example() {
	officeID := domain.IDFrom[domain.OfficeID](uuid.MustParse("11111111-1111-4111-8111-111111111111"))
	svcID := domain.IDFrom[domain.ServiceID](uuid.MustParse("22222222-2222-4222-8222-222222222222"))
	clerk := domain.IDFrom[domain.ClerkID](uuid.MustParse("33333333-3333-4333-8333-333333333333"))
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, hours.Location())

	// Events as read from "office-<uuid>".
	officeHistory := []domain.Event{
		office.OfficeEstablished{OfficeID: officeID, Name: "Bürgerbüro Mitte", SlotCapacity: 1,
			Services: []office.ServiceData{{ID: svcID, Name: "Personalausweis", TypicalMinutes: 15}},
			Hours: hours.Spec{Weekly: []hours.DaySpec{{Weekday: "monday",
				Intervals: []hours.IntervalSpec{{From: "08:00", To: "18:00"}}}}}},
		office.ClerkWentOnDuty{OfficeID: officeID, ClerkID: clerk},
	}
	o, _ := office.FromEvents(officeHistory)
	fmt.Println("door:", o.Door(now))

	// Knock: the visit ID comes from the client's request ID.
	req := domain.IDFrom[domain.RequestID](uuid.MustParse("44444444-4444-4444-8444-444444444444"))
	v, err := visit.Knock(visit.KnockCommand{
		VisitID: visit.IDForRequest(officeID, req), RequestID: req, ServiceID: svcID,
		DisplayName: "Frau K.", Language: visit.German,
	}, o, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("append to", visit.StreamName(v.ID())[:6]+"…", "version", v.Version(), "events", eventTypes(v.Changes()))

	// Admit: reload the visit, decide, append.
	v, _ = visit.FromEvents(v.Changes())
	ref, _ := casefile.ParseReference("DO-2026-000001")
	err = v.Admit(visit.AdmitCommand{
		ClerkID: clerk, CaseID: domain.IDFrom[domain.CaseID](uuid.New()), CaseReference: ref, NewCase: true,
		CallID: domain.IDFrom[domain.CallID](uuid.New()),
	}, o, now.Add(time.Minute))
	fmt.Println("admit:", err, "version", v.Version(), "events", eventTypes(v.Changes()))

	// Output:
	// door: open
	// append to visit-… version 0 events [VisitKnocked]
	// admit: <nil> version 1 events [VisitAdmitted]
}

func eventTypes(es []domain.Event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.EventType()
	}
	return out
}
