package readmodel_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

func TestStatsCountADay(t *testing.T) {
	n := &recordingNotifier{}
	s := readmodel.NewStats(n)
	f := newFeed(t)
	mitte, nord := officeID(), officeID()
	v := make([]domain.VisitID, 6)
	for i := range v {
		v[i] = visitID()
		f.to(s, knocked(v[i], mitte, tuesday(9, i)))
	}
	appt := domain.IDFrom[domain.AppointmentID](uuid.New())
	f.to(s,
		visit.VisitAdmitted{VisitID: v[0], AdmittedAt: tuesday(9, 10)}, // waited 10 min
		visit.VisitCallEnded{VisitID: v[0], DurationSeconds: 300, EndedAt: tuesday(9, 15)},
		visit.VisitReturnedToWaitingRoom{VisitID: v[0]},
		visit.VisitAdmitted{VisitID: v[0], AdmittedAt: tuesday(9, 20)}, // second admission: not served twice
		visit.VisitCallEnded{VisitID: v[0], DurationSeconds: 500, EndedAt: tuesday(9, 30)},
		visit.VisitAdmitted{VisitID: v[1], AdmittedAt: tuesday(9, 21)}, // waited 20 min
		visit.VisitDeclined{VisitID: v[2], DeclinedAt: tuesday(10, 0)},
		visit.VisitWithdrawn{VisitID: v[3], WithdrawnAt: tuesday(10, 0)},
		visit.VisitExpired{VisitID: v[4], ExpiredAt: tuesday(10, 0)},
		visit.VisitReferred{VisitID: v[5], FromOfficeID: mitte, ToOfficeID: nord, ReferredAt: tuesday(10, 0)},
		appointment.AppointmentBooked{AppointmentID: appt, OfficeID: mitte, SlotStart: tuesday(11, 0)},
		appointment.AppointmentNoShowRecorded{AppointmentID: appt, RecordedAt: tuesday(11, 16)},
	)
	f.replay(s)
	day := hours.BerlinDate(tuesday(12, 0))
	want := readmodel.DailyStats{
		OfficeID: mitte, Date: day, Knocks: 6, Served: 2, Declined: 1, Referred: 1, Withdrawn: 1, Expired: 1, NoShows: 1,
		AverageWait: 15 * time.Minute, Calls: 2, AverageCall: 400 * time.Second,
	}
	if got := s.Day(mitte, day); got != want {
		t.Errorf("mitte:\n got %+v\nwant %+v", got, want)
	}
	if got := s.Day(nord, day); got.Knocks != 1 {
		t.Errorf("nord knocks %d, want 1 (the referral)", got.Knocks)
	}
	if got := s.Days(mitte); len(got) != 1 || got[0] != want {
		t.Errorf("Days = %+v", got)
	}
	if got := s.Day(mitte, day.AddDays(1)); got.Knocks != 0 {
		t.Errorf("the next day has %d knocks", got.Knocks)
	}
	if len(n.got) == 0 {
		t.Error("no stats changes notified")
	}
}
