package appintegration_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

func BenchmarkReplayParts(b *testing.B) {
	h := start(b)
	id := writeLongCase(b, h, 1000)
	ctx := context.Background()
	evs := h.load(b, casefile.StreamName(id))
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.store.Load(ctx, casefile.StreamName(id)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fold", func(b *testing.B) {
		for b.Loop() {
			if _, err := audit.Fold(evs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			meta := eventlog.Metadata{Actor: actor(domain.RoleAuditor, "x"), OccurredAt: monday10}
			if _, err := h.store.Append(ctx, audit.LogStreamName(id), eventlog.ExpectAny(), eventlog.NewEvent{ID: uuid.New(), Event: audit.CaseAuditAccessed{CaseID: id, Kind: "replay"}, Meta: meta}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
