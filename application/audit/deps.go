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

// Deps are what the audit use cases need.
type Deps struct {
	Env command.Env
	// Keys are the trusted public keys that case events, audit records and
	// checkpoints must be signed with. Nil means signatures are not checked
	// (unit tests only: serve refuses to start without a signing key).
	Keys eventlog.PublicKeys
	// Checkpoints answers with the latest signed checkpoint; optional.
	Checkpoints Checkpoints
}

// Checkpoints gives the latest checkpoint and a stream's head in it.
type Checkpoints interface {
	// Latest returns the latest checkpoint (nil: none yet) and the proof of
	// stream's head in it (nil: the checkpoint records none).
	Latest(ctx context.Context, stream string) (*eventlog.SignedTreeHead, *eventlog.Inclusion, error)
}

type reader struct{ d Deps }

func newReader(d Deps) (reader, error) {
	if err := d.Env.Validate(); err != nil {
		return reader{}, err
	}
	return reader{d: d}, nil
}

// access records the audit read, then loads the case stream.
func (r reader) access(ctx context.Context, c command.Context, id domain.CaseID, kind string, asOf time.Time) ([]eventlog.RecordedEvent, error) {
	if err := c.RequireRole(domain.RoleAuditor); err != nil {
		return nil, err
	}
	if err := domain.RequireID("case id", id); err != nil {
		return nil, err
	}
	meta := r.d.Env.Meta(c)
	ev := CaseAuditAccessed{CaseID: id, Kind: kind, AsOf: asOf, AccessedAt: meta.OccurredAt}
	// Record and read at once (the record's durable write and the read
	// overlap); nothing is returned unless the record was written.
	recorded := make(chan error, 1)
	go func() {
		recorded <- appendChained(ctx, r.d.Env.Store, LogStreamName(id), eventlog.NewEvent{ID: r.d.Env.IDs.NewUUID(), Event: ev, Meta: meta})
	}()
	evs, err := r.d.Env.Store.Load(ctx, casefile.StreamName(id))
	if rerr := <-recorded; rerr != nil {
		return nil, fmt.Errorf("audit: record access: %w", rerr)
	}
	if errors.Is(err, eventlog.ErrStreamNotFound) {
		return nil, casefile.ErrNotFound
	}
	return evs, err
}

// evidence gathers what verifying a stream needs besides its events.
func (r reader) evidence(ctx context.Context, stream string, evs []eventlog.RecordedEvent) (Evidence, error) {
	ev := Evidence{Stream: stream, Events: evs, Keys: r.d.Keys}
	if r.d.Checkpoints != nil {
		cp, in, err := r.d.Checkpoints.Latest(ctx, stream)
		if err != nil {
			return Evidence{}, fmt.Errorf("audit: checkpoint: %w", err)
		}
		ev.Checkpoint, ev.Inclusion = cp, in
	}
	return ev, nil
}

// verify checks a loaded stream against its signatures and the latest
// checkpoint.
func (r reader) verify(ctx context.Context, stream string, evs []eventlog.RecordedEvent) (Verification, error) {
	ev, err := r.evidence(ctx, stream, evs)
	if err != nil {
		return Verification{}, err
	}
	return VerifyEvidence(ev), nil
}

// appendChained appends one event to a small chained stream (audit logs,
// checkpoints), linking it to the current head; a lost race reloads.
func appendChained(ctx context.Context, store eventlog.Store, stream string, ne eventlog.NewEvent) error {
	const attempts = 5
	var err error
	for range attempts {
		expected := eventlog.ExpectNoStream().ChainedFrom("")
		evs, lerr := store.Load(ctx, stream)
		switch {
		case lerr == nil:
			last := evs[len(evs)-1]
			expected = eventlog.ExpectRevision(last.Revision).ChainedFrom(eventlog.Hash(last))
		case !errors.Is(lerr, eventlog.ErrStreamNotFound):
			return lerr
		}
		if _, err = store.Append(ctx, stream, expected, ne); !errors.Is(err, eventlog.ErrConflict) {
			return err
		}
	}
	return err
}
