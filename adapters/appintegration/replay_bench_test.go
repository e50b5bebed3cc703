package appintegration_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// writeLongCase writes a hash-chained case of n events (opened, n-2 notes,
// closed) straight through the store port. Each event's PrevHash is the
// hash of the previous event as stored, read back with the client (the
// port has no "read last event", and reloading the whole stream for every
// note would make setup quadratic).
func writeLongCase(b *testing.B, h *harness, n int) domain.CaseID {
	b.Helper()
	ctx := context.Background()
	id := domain.IDFrom[domain.CaseID](uuid.New())
	ref, _ := casefile.NewReference("DO", 2026, 1)
	clerkID := domain.IDFrom[domain.ClerkID](uuid.New())
	clerk := domain.ClerkActor(clerkID)
	at := monday10
	events := []domain.Event{casefile.CaseOpened{CaseID: id, Reference: ref, OfficeID: buergerdienste, ServiceID: reisepass, ClerkID: clerkID, OpenedAt: at}}
	for i := 0; i < n-2; i++ {
		events = append(events, casefile.CaseNoteAdded{CaseID: id, NoteID: domain.IDFrom[domain.NoteID](uuid.New()),
			Text: fmt.Sprintf("Bearbeitungsschritt %d: Unterlagen geprüft", i), Visibility: casefile.Internal,
			AuthorRole: domain.RoleClerk, AuthorID: clerkID.String(), AddedAt: at})
	}
	events = append(events, casefile.CaseClosed{CaseID: id, Outcome: casefile.OutcomeCompleted, ClosedAt: at})
	stream := casefile.StreamName(id)
	prev := ""
	for i, e := range events {
		at = at.Add(time.Second)
		meta := eventlog.Metadata{CorrelationID: uuid.New(), CausationID: uuid.New(), Actor: clerk, OccurredAt: at, PrevHash: prev}
		if _, err := h.store.Append(ctx, stream, eventlog.ExpectVersion(int64(i)), eventlog.NewEvent{ID: uuid.New(), Event: e, Meta: meta}); err != nil {
			b.Fatal(err)
		}
		rs, err := h.node.Client.ReadStream(ctx, stream, esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)
		if err != nil {
			b.Fatal(err)
		}
		last, err := rs.Recv()
		rs.Close()
		if err != nil {
			b.Fatal(err)
		}
		ev := last.Event
		prev = eventlog.Hash(eventlog.RecordedEvent{ID: ev.EventID, Type: ev.EventType, Data: ev.Data, RawMetadata: ev.UserMetadata})
	}
	return id
}

// BenchmarkReplayCase1000 replays one case of 1,000 events as an auditor:
// record the access, load the stream over gRPC, fold the states and verify
// the chain. Goal: p99 ≤ 10 ms.
func BenchmarkReplayCase1000(b *testing.B) {
	h := start(b)
	const n = 1000
	id := writeLongCase(b, h, n)
	ctx := context.Background()
	auditor := command.Context{Actor: actor(domain.RoleAuditor, "pruefer-bench")}
	var took []time.Duration
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		r, err := h.app.Queries.ReplayCase.Handle(ctx, auditor, audit.ReplayCase{CaseID: id})
		took = append(took, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Steps) != n || !r.Verification.Intact {
			b.Fatalf("%d steps, %+v", len(r.Steps), r.Verification)
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	slices.Sort(took)
	pct := func(p float64) float64 {
		i := int(p * float64(len(took)-1))
		return float64(took[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(n), "events/case")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(took)), "cpu-ms/op")
}
