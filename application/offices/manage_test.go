package offices_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

func TestManageOffice(t *testing.T) {
	newService := offices.ServiceSpec{ID: domain.IDFrom[domain.ServiceID](uuid.New()), Name: "Meldebescheinigung", TypicalDuration: 10 * time.Minute}
	offer := func(s offices.ServiceSpec) func(context.Context, command.Env) error {
		return func(ctx context.Context, e command.Env) error {
			h, _ := offices.NewOfferServiceHandler(e)
			_, err := h.Handle(ctx, admin, offices.OfferService{OfficeID: officeID, Service: s})
			return err
		}
	}
	withdraw := func(id domain.ServiceID) func(context.Context, command.Env) error {
		return func(ctx context.Context, e command.Env) error {
			h, _ := offices.NewWithdrawServiceHandler(e)
			_, err := h.Handle(ctx, admin, offices.WithdrawService{OfficeID: officeID, ServiceID: id})
			return err
		}
	}
	capacity := func(n int) func(context.Context, command.Env) error {
		return func(ctx context.Context, e command.Env) error {
			h, _ := offices.NewSetSlotCapacityHandler(e)
			_, err := h.Handle(ctx, admin, offices.SetSlotCapacity{OfficeID: officeID, SlotCapacity: n})
			return err
		}
	}
	setHours := func(spec hours.Spec) func(context.Context, command.Env) error {
		return func(ctx context.Context, e command.Env) error {
			h, _ := offices.NewSetOpeningHoursHandler(e)
			_, err := h.Handle(ctx, admin, offices.SetOpeningHours{OfficeID: officeID, Hours: spec})
			return err
		}
	}
	cases := []struct {
		name    string
		when    func(context.Context, command.Env) error
		then    string
		wantErr error
	}{
		{name: "offer a service", when: offer(newService), then: "OfficeServiceOffered"},
		{name: "offer an invalid service", when: offer(offices.ServiceSpec{ID: newService.ID, Name: "x", TypicalDuration: time.Second}), wantErr: office.ErrInvalidService},
		{name: "withdraw an unknown service", when: withdraw(newService.ID), wantErr: office.ErrServiceNotOffered},
		{name: "withdraw the offered service", when: withdraw(establish().Services[0].ID), then: "OfficeServiceWithdrawn"},
		{name: "same capacity", when: capacity(2)},
		{name: "new capacity", when: capacity(4), then: "OfficeSlotCapacitySet"},
		{name: "capacity out of range", when: capacity(0), wantErr: office.ErrInvalidOffice},
		{name: "new hours", when: setHours(hours.Spec{Weekly: []hours.DaySpec{{Weekday: "friday", Intervals: []hours.IntervalSpec{{From: "07:30", To: "13:00"}}}}}), then: "OfficeHoursSet"},
		{name: "overlapping hours", when: setHours(hours.Spec{Weekly: []hours.DaySpec{{Weekday: "friday", Intervals: []hours.IntervalSpec{{From: "08:00", To: "12:00"}, {From: "11:00", To: "13:00"}}}}}), wantErr: hours.ErrInvalidSchedule},
		{name: "unknown office", wantErr: office.ErrNotFound, when: func(ctx context.Context, e command.Env) error {
			h, _ := offices.NewSetSlotCapacityHandler(e)
			_, err := h.Handle(ctx, admin, offices.SetSlotCapacity{OfficeID: domain.IDFrom[domain.OfficeID](uuid.New()), SlotCapacity: 3})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := given(t)
			before := s.Types(office.StreamName(officeID))
			err := c.when(context.Background(), env(s))
			after := s.Types(office.StreamName(officeID))
			switch {
			case c.wantErr != nil:
				if !errors.Is(err, c.wantErr) || len(after) != len(before) {
					t.Fatalf("err = %v, events %v; want %v and nothing written", err, after, c.wantErr)
				}
			case c.then == "":
				if err != nil || len(after) != len(before) {
					t.Fatalf("err = %v, events %v; want no change", err, after)
				}
			default:
				if err != nil || len(after) != len(before)+1 || after[len(after)-1] != c.then {
					t.Fatalf("err = %v, events %v; want %s", err, after, c.then)
				}
			}
		})
	}
}
