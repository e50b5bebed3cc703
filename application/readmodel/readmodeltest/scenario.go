// Package readmodeltest generates realistic, deterministic event histories
// of office days for tests and benchmarks of the read side. It is for tests
// only and must not be imported by production code.
package readmodeltest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// StreamEvent is an event and the stream it belongs to, in append order.
type StreamEvent struct {
	Stream string
	Event  domain.Event
}

// Scenario describes the history to generate.
type Scenario struct {
	Seed    uint64
	Offices int
	// Visits per office; each takes about 7 events (knock, admission, call,
	// end, case opened and closed), some fewer (withdrawn, expired, declined).
	Visits int
	// Day is a weekday the offices are open 08:00-16:00 (Berlin).
	Day time.Time
}

// Weekdays8to16 is Monday to Friday 08:00-16:00.
func Weekdays8to16() hours.Spec {
	var s hours.Spec
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		s.Weekly = append(s.Weekly, hours.DaySpec{Weekday: d, Intervals: []hours.IntervalSpec{{From: "08:00", To: "16:00"}}})
	}
	return s
}

// Generate returns the events, ordered as they would be appended.
func (s Scenario) Generate() []StreamEvent {
	rng := rand.New(rand.NewPCG(s.Seed, s.Seed^0x9e3779b97f4a7c15))
	id := func() uuid.UUID {
		var u uuid.UUID
		for i := range u {
			u[i] = byte(rng.UintN(256))
		}
		u[6] = (u[6] & 0x0f) | 0x40
		u[8] = (u[8] & 0x3f) | 0x80
		return u
	}
	var out []StreamEvent
	add := func(stream string, e domain.Event) { out = append(out, StreamEvent{stream, e}) }
	start := s.Day
	refNo := 0
	for o := 0; o < s.Offices; o++ {
		oid := domain.IDFrom[domain.OfficeID](id())
		svc := domain.IDFrom[domain.ServiceID](id())
		os := office.StreamName(oid)
		add(os, office.OfficeEstablished{
			OfficeID: oid, DepartmentID: domain.IDFrom[domain.DepartmentID](id()), Name: fmt.Sprintf("Bürgerbüro %d", o+1),
			Services: []office.ServiceData{{ID: svc, Name: "Personalausweis", TypicalMinutes: 15}},
			Hours:    Weekdays8to16(), SlotCapacity: 2, EstablishedAt: start.Add(-time.Hour),
		})
		clerks := []domain.ClerkID{domain.IDFrom[domain.ClerkID](id()), domain.IDFrom[domain.ClerkID](id())}
		for _, c := range clerks {
			add(os, office.ClerkWentOnDuty{OfficeID: oid, ClerkID: c, At: start})
		}
		date := hours.BerlinDate(start)
		for v := 0; v < s.Visits; v++ {
			vid := domain.IDFrom[domain.VisitID](id())
			vs := visit.StreamName(vid)
			at := start.Add(time.Duration(v) * 30 * time.Second)
			k := visit.VisitKnocked{VisitID: vid, RequestID: domain.IDFrom[domain.RequestID](id()), OfficeID: oid, ServiceID: svc,
				DisplayName: "Erika Mustermann", Language: visit.German, KnockedAt: at}
			if v%10 == 0 { // one in ten has an appointment
				aid := domain.IDFrom[domain.AppointmentID](id())
				slot := start.Add(time.Duration(v/10) * 15 * time.Minute).Add(time.Hour)
				add(appointment.LedgerStreamName(oid, date), appointment.SlotReserved{OfficeID: oid, Date: date, AppointmentID: aid, Start: slot, End: slot.Add(15 * time.Minute), ReservedAt: at.Add(-24 * time.Hour)})
				add(appointment.StreamName(aid), appointment.AppointmentBooked{AppointmentID: aid, OfficeID: oid, ServiceID: svc, SlotStart: slot, SlotEnd: slot.Add(15 * time.Minute), DisplayName: "Erika Mustermann", BookedAt: at.Add(-24 * time.Hour)})
				if v%20 == 0 {
					add(appointment.StreamName(aid), appointment.AppointmentNoShowRecorded{AppointmentID: aid, RecordedAt: slot.Add(16 * time.Minute)})
					continue
				}
				k.AppointmentID, k.AppointmentSlot = aid, slot
				add(appointment.StreamName(aid), appointment.AppointmentCheckedIn{AppointmentID: aid, VisitID: vid, CheckedInAt: at})
			}
			add(vs, k)
			switch v % 17 {
			case 3:
				add(vs, visit.VisitWithdrawn{VisitID: vid, WithdrawnAt: at.Add(5 * time.Minute)})
				continue
			case 5:
				add(vs, visit.VisitPresenceLost{VisitID: vid, At: at.Add(time.Minute)})
				add(vs, visit.VisitExpired{VisitID: vid, PresenceLostAt: at.Add(time.Minute), ExpiredAt: at.Add(3 * time.Minute)})
				continue
			case 7:
				add(vs, visit.VisitDeclined{VisitID: vid, ClerkID: clerks[0], Reason: "nicht zuständig", DeclinedAt: at.Add(2 * time.Minute)})
				continue
			case 11:
				if v+1 < s.Visits { // still waiting at the end of the history
					continue
				}
			}
			clerk := clerks[v%2]
			cid := domain.IDFrom[domain.CaseID](id())
			call := domain.IDFrom[domain.CallID](id())
			refNo++
			ref, _ := casefile.NewReference("DO", start.Year(), refNo)
			admitted := at.Add(time.Duration(5+rng.IntN(20)) * time.Minute)
			add(vs, visit.VisitAdmitted{VisitID: vid, OfficeID: oid, ClerkID: clerk, CaseID: cid, CaseReference: ref, NewCase: true, CallID: call, AdmittedAt: admitted})
			add(casefile.StreamName(cid), casefile.CaseOpened{CaseID: cid, Reference: ref, OfficeID: oid, ServiceID: svc, VisitID: vid, ClerkID: clerk, OpenedAt: admitted})
			add(vs, visit.VisitCallStarted{VisitID: vid, CallID: call, StartedAt: admitted})
			dur := time.Duration(3+rng.IntN(12)) * time.Minute
			add(vs, visit.VisitCallEnded{VisitID: vid, CallID: call, DurationSeconds: int64(dur / time.Second), Reason: visit.EndCompleted, EndedAt: admitted.Add(dur)})
			add(vs, visit.VisitEnded{VisitID: vid, EndedAt: admitted.Add(dur)})
			add(casefile.StreamName(cid), casefile.CaseClosed{CaseID: cid, Outcome: casefile.OutcomeCompleted, ClosedAt: admitted.Add(dur)})
		}
		// Pending timers at the end: a citizen whose page is gone, and an
		// appointment tomorrow.
		late := domain.IDFrom[domain.VisitID](id())
		lateAt := start.Add(time.Duration(s.Visits) * 30 * time.Second)
		add(visit.StreamName(late), visit.VisitKnocked{VisitID: late, RequestID: domain.IDFrom[domain.RequestID](id()), OfficeID: oid, ServiceID: svc,
			DisplayName: "Max Mustermann", Language: visit.German, KnockedAt: lateAt})
		add(visit.StreamName(late), visit.VisitPresenceLost{VisitID: late, At: lateAt.Add(time.Minute)})
		aid := domain.IDFrom[domain.AppointmentID](id())
		slot := start.Add(26 * time.Hour)
		tomorrow := hours.BerlinDate(slot)
		add(appointment.LedgerStreamName(oid, tomorrow), appointment.SlotReserved{OfficeID: oid, Date: tomorrow, AppointmentID: aid, Start: slot, End: slot.Add(15 * time.Minute), ReservedAt: start})
		add(appointment.StreamName(aid), appointment.AppointmentBooked{AppointmentID: aid, OfficeID: oid, ServiceID: svc, SlotStart: slot, SlotEnd: slot.Add(15 * time.Minute), DisplayName: "Max Mustermann", BookedAt: start})
	}
	return out
}

// EventTypes lists every event type the scenario (and the read models) use.
func EventTypes() []domain.Event {
	var all []domain.Event
	all = append(all, office.EventTypes()...)
	all = append(all, visit.EventTypes()...)
	all = append(all, appointment.EventTypes()...)
	all = append(all, casefile.EventTypes()...)
	return all
}
