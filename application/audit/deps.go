package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

type reader struct{ env command.Env }

func newReader(env command.Env) (reader, error) {
	if err := env.Validate(); err != nil {
		return reader{}, err
	}
	return reader{env: env}, nil
}

// access records the audit read, then loads the case stream.
func (r reader) access(ctx context.Context, c command.Context, id domain.CaseID, kind string, asOf time.Time) ([]eventlog.RecordedEvent, error) {
	if err := c.RequireRole(domain.RoleAuditor); err != nil {
		return nil, err
	}
	if err := domain.RequireID("case id", id); err != nil {
		return nil, err
	}
	meta := r.env.Meta(c)
	ev := CaseAuditAccessed{CaseID: id, Kind: kind, AsOf: asOf, AccessedAt: meta.OccurredAt}
	// Record and read at once (the record's durable write and the read
	// overlap); nothing is returned unless the record was written.
	recorded := make(chan error, 1)
	go func() {
		_, err := r.env.Store.Append(ctx, LogStreamName(id), eventlog.ExpectAny(), eventlog.NewEvent{ID: r.env.IDs.NewUUID(), Event: ev, Meta: meta})
		recorded <- err
	}()
	evs, err := r.env.Store.Load(ctx, casefile.StreamName(id))
	if rerr := <-recorded; rerr != nil {
		return nil, fmt.Errorf("audit: record access: %w", rerr)
	}
	if errors.Is(err, eventlog.ErrStreamNotFound) {
		return nil, casefile.ErrNotFound
	}
	return evs, err
}
