package appointment_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
)

var (
	apptID  = domain.IDFrom[domain.AppointmentID](uuid.MustParse("00000000-0000-0000-0000-000000000011"))
	officeA = domain.IDFrom[domain.OfficeID](uuid.MustParse("00000000-0000-0000-0000-0000000000a1"))
	svc     = domain.IDFrom[domain.ServiceID](uuid.MustParse("00000000-0000-0000-0000-0000000000b1"))
	visitID = domain.IDFrom[domain.VisitID](uuid.MustParse("00000000-0000-0000-0000-0000000000e1"))
	t0      = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) // 09:00 Berlin
	slot    = t0.Add(2 * time.Hour)
	code    = mustCode("ABCDE-FGHJK")
	window  = appointment.DefaultCheckInWindow()
)

func mustCode(s string) appointment.Code {
	c, err := appointment.ParseCode(s)
	if err != nil {
		panic(err)
	}
	return c
}

func booked() appointment.AppointmentBooked {
	return appointment.AppointmentBooked{AppointmentID: apptID, OfficeID: officeA, ServiceID: svc,
		SlotStart: slot, SlotEnd: slot.Add(15 * time.Minute), Code: code, DisplayName: "K.", BookedAt: t0}
}

func TestCode(t *testing.T) {
	c, err := appointment.NewCode(bytes.NewReader([]byte{0, 1, 2, 3, 4, 31, 30, 29, 28, 255}))
	if err != nil || c.String() != "01234-ZYXWZ" {
		t.Errorf("NewCode = %q %v", c, err)
	}
	for in, want := range map[string]string{
		"abcde-fghjk": "ABCDE-FGHJK", "ABCDEFGHJK": "ABCDE-FGHJK", "0oIl1-23456": "00111-23456",
	} {
		if got, err := appointment.ParseCode(in); err != nil || got.String() != want {
			t.Errorf("ParseCode(%q) = %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ABCDE", "ABCDE-FGHJU", "ABCDE-FGHJK1", "ÄBCDE-FGHJK"} {
		if _, err := appointment.ParseCode(bad); !errors.Is(err, appointment.ErrInvalidCode) {
			t.Errorf("ParseCode(%q) err = %v", bad, err)
		}
	}
	if _, err := appointment.NewCode(strings.NewReader("short")); err == nil {
		t.Error("NewCode must fail when randomness runs out")
	}
}

func TestBook(t *testing.T) {
	a, err := appointment.Book(appointment.BookCommand{AppointmentID: apptID, OfficeID: officeA, ServiceID: svc,
		SlotStart: slot, Duration: 15 * time.Minute, Code: code, DisplayName: "K."}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Changes(); !reflect.DeepEqual(got, []domain.Event{booked()}) {
		t.Errorf("changes = %#v", got)
	}
	_, err = appointment.Book(appointment.BookCommand{AppointmentID: apptID, OfficeID: officeA, ServiceID: svc,
		SlotStart: t0, Duration: 15 * time.Minute, Code: code, DisplayName: "K."}, t0)
	if !errors.Is(err, appointment.ErrInPast) {
		t.Errorf("slot in the past: %v", err)
	}
	if _, err := appointment.Book(appointment.BookCommand{}, t0); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("empty command: %v", err)
	}
}

func TestAppointmentLifecycle(t *testing.T) {
	cancelled := appointment.AppointmentCancelled{AppointmentID: apptID, CancelledAt: t0}
	cases := []struct {
		name    string
		given   []domain.Event
		when    func(*appointment.Appointment) error
		then    []domain.Event
		wantErr error
	}{
		{name: "cancel", when: func(a *appointment.Appointment) error { return a.Cancel("krank", t0) },
			then: []domain.Event{appointment.AppointmentCancelled{AppointmentID: apptID, Reason: "krank", CancelledAt: t0}}},
		{name: "cancel twice does nothing", given: []domain.Event{cancelled},
			when: func(a *appointment.Appointment) error { return a.Cancel("", t0) }},
		{name: "reschedule", when: func(a *appointment.Appointment) error { return a.Reschedule(slot.Add(24*time.Hour), t0) },
			then: []domain.Event{appointment.AppointmentRescheduled{AppointmentID: apptID, FromStart: slot,
				ToStart: slot.Add(24 * time.Hour), ToEnd: slot.Add(24*time.Hour + 15*time.Minute), RescheduledAt: t0}}},
		{name: "reschedule into the past", when: func(a *appointment.Appointment) error { return a.Reschedule(t0.Add(-time.Hour), t0) },
			wantErr: appointment.ErrInPast},
		{name: "reschedule cancelled", given: []domain.Event{cancelled},
			when: func(a *appointment.Appointment) error { return a.Reschedule(slot.Add(time.Hour), t0) }, wantErr: appointment.ErrNotBooked},
		{name: "check in early", when: func(a *appointment.Appointment) error { return a.CheckIn(visitID, window, slot.Add(-time.Hour)) },
			then: []domain.Event{appointment.AppointmentCheckedIn{AppointmentID: apptID, VisitID: visitID, CheckedInAt: slot.Add(-time.Hour)}}},
		{name: "check in at window close", when: func(a *appointment.Appointment) error { return a.CheckIn(visitID, window, slot.Add(15*time.Minute)) },
			then: []domain.Event{appointment.AppointmentCheckedIn{AppointmentID: apptID, VisitID: visitID, CheckedInAt: slot.Add(15 * time.Minute)}}},
		{name: "check in too late", when: func(a *appointment.Appointment) error { return a.CheckIn(visitID, window, slot.Add(16*time.Minute)) },
			wantErr: appointment.ErrCheckInClosed},
		{name: "no-show after window", when: func(a *appointment.Appointment) error { return a.RecordNoShow(window, slot.Add(16*time.Minute)) },
			then: []domain.Event{appointment.AppointmentNoShowRecorded{AppointmentID: apptID, RecordedAt: slot.Add(16 * time.Minute)}}},
		{name: "no-show while window open", when: func(a *appointment.Appointment) error { return a.RecordNoShow(window, slot) },
			wantErr: appointment.ErrCheckInOpen},
		{name: "no-show after check-in",
			given:   []domain.Event{appointment.AppointmentCheckedIn{AppointmentID: apptID, VisitID: visitID}},
			when:    func(a *appointment.Appointment) error { return a.RecordNoShow(window, slot.Add(time.Hour)) },
			wantErr: appointment.ErrNotBooked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := appointment.FromEvents(append([]domain.Event{booked()}, c.given...))
			if err != nil {
				t.Fatal(err)
			}
			err = c.when(a)
			if (c.wantErr == nil && err != nil) || !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if got := a.Changes(); len(got) != len(c.then) || (len(got) > 0 && !reflect.DeepEqual(got, c.then)) {
				t.Errorf("changes = %#v, want %#v", got, c.then)
			}
		})
	}
}

func TestCheckInWindow(t *testing.T) {
	if _, err := appointment.NewCheckInWindow(-time.Minute, 0); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("negative window: %v", err)
	}
	w := appointment.DefaultCheckInWindow()
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{slot.Add(-11 * time.Minute), false}, {slot.Add(-10 * time.Minute), true},
		{slot.Add(15 * time.Minute), true}, {slot.Add(15*time.Minute + time.Second), false},
	} {
		if got := w.Contains(slot, c.at); got != c.want {
			t.Errorf("Contains(%v) = %v", c.at.Sub(slot), got)
		}
	}
}
