package application_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/policies"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
)

var (
	_ readside.TimerActions = application.TimerActions{}
	_ readside.Handler      = policies.Policy{}
)

type nopBlobs struct{}

func (nopBlobs) Put(context.Context, string, io.Reader) (int64, string, error) { return 0, "", nil }
func (nopBlobs) Get(context.Context, string) (io.ReadCloser, error)            { return nil, nil }

func TestEventTypesAreCompleteAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range application.EventTypes() {
		if seen[e.EventType()] {
			t.Fatalf("%s listed twice", e.EventType())
		}
		seen[e.EventType()] = true
	}
	for _, want := range []string{"OfficeEstablished", "VisitKnocked", "AppointmentBooked", "SlotReserved", "CaseOpened", "CaseReferenceAllocated", "CaseAuditAccessed", "StaffUserCreated"} {
		if !seen[want] {
			t.Errorf("%s missing", want)
		}
	}
}

func TestConfigReportsEveryProblem(t *testing.T) {
	err := application.Config{ReferencePrefix: "dortmund"}.Validate()
	if err == nil {
		t.Fatal("empty config accepted")
	}
	for _, want := range []error{command.ErrWeakKey} {
		if !errors.Is(err, want) {
			t.Errorf("%v does not report %v", err, want)
		}
	}
	if _, err := application.New(application.Config{}); err == nil {
		t.Fatal("New accepted an empty config")
	}
}

func TestNewWiresEverythingAndTimersAreIdempotent(t *testing.T) {
	app, err := application.New(application.Config{
		Store: memstore.New(), TokenKey: bytes.Repeat([]byte{1}, 32), Blobs: nopBlobs{},
		Clock: command.ClockFunc(func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(app.Policies) < 5 || app.Commands.AdmitNext != nil {
		t.Fatalf("%d policies, AdmitNext %v", len(app.Policies), app.Commands.AdmitNext)
	}
	// A timer for a visit that does not exist is an error worth seeing
	// (not found), not a silent success.
	err = app.Timers.ExpireVisit(context.Background(), domain.IDFrom[domain.VisitID](uuid.New()))
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("expire unknown visit: %v", err)
	}
}
