package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// Store implements eventlog.Store with the official client.
type Store struct {
	client   *esdb.Client
	registry *Registry
	signer   eventlog.Signer
}

// Option configures a Store.
type Option func(*Store)

// WithSigner signs every chained append (case streams, audit logs,
// checkpoints): each event's metadata ends with the signature of its chained
// hash (eventlog.Seal). The key stays in this process; the event store only
// ever sees signatures.
func WithSigner(s eventlog.Signer) Option { return func(st *Store) { st.signer = s } }

var _ eventlog.Store = (*Store)(nil)

// New returns a Store. The client is owned by the caller.
func New(client *esdb.Client, registry *Registry, opts ...Option) (*Store, error) {
	if client == nil || registry == nil {
		return nil, errors.New("eventstore: client and registry are required")
	}
	s := &Store{client: client, registry: registry}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Append implements eventlog.Store. A chained append (Expected.ChainedFrom)
// links the events here, where their stored bytes are known: each event's
// PrevHash is the eventlog.Hash of the previous event's ID, type, payload and
// metadata exactly as they are sent and later read back, and all events go
// in one append, so a chain is written whole or not at all. With a signer
// (WithSigner) each chained event's metadata also carries the signature of
// its hash.
func (s *Store) Append(ctx context.Context, stream string, expected eventlog.Expected, events ...eventlog.NewEvent) (eventlog.AppendResult, error) {
	prev, chained := expected.Chain()
	if chained && expected.IsAny() {
		return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: eventlog.ErrChainWithoutRevision}
	}
	data := make([]esdb.EventData, 0, len(events))
	for _, ne := range events {
		version, err := s.registry.version(ne.Event)
		if err != nil {
			return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: err}
		}
		payload, err := json.Marshal(ne.Event)
		if err != nil {
			return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: fmt.Errorf("encode %s: %w", ne.Event.EventType(), err)}
		}
		meta := ne.Meta
		meta.SchemaVersion = version
		if chained {
			meta.PrevHash = prev
		}
		rawMeta, err := encodeMetadata(meta)
		if err != nil {
			return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: err}
		}
		if chained {
			rawMeta, prev, err = eventlog.Seal(stream, eventlog.RecordedEvent{ID: ne.ID, Type: ne.Event.EventType(), Data: payload, RawMetadata: rawMeta}, s.signer)
			if err != nil {
				return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: err}
			}
		}
		data = append(data, esdb.EventData{
			EventID:     ne.ID,
			EventType:   ne.Event.EventType(),
			ContentType: esdb.ContentTypeJson,
			Data:        payload,
			Metadata:    rawMeta,
		})
	}
	res, err := s.client.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{ExpectedRevision: toClientExpected(expected)}, data...)
	if err != nil {
		return eventlog.AppendResult{}, &eventlog.OpError{Op: "append", Stream: stream, Err: mapError(err)}
	}
	return eventlog.AppendResult{
		NextRevision: res.NextExpectedVersion,
		Position:     eventlog.Position{Commit: res.CommitPosition, Prepare: res.PreparePosition},
	}, nil
}

func toClientExpected(e eventlog.Expected) esdb.ExpectedRevision {
	if r, ok := e.Revision(); ok {
		return esdb.Revision(r)
	}
	if e.IsNoStream() {
		return esdb.NoStream{}
	}
	return esdb.Any{}
}

// Load implements eventlog.Store.
func (s *Store) Load(ctx context.Context, stream string) ([]eventlog.RecordedEvent, error) {
	rs, err := s.client.ReadStream(ctx, stream, esdb.ReadStreamOptions{Direction: esdb.Forwards, From: esdb.Start{}}, ^uint64(0))
	if err != nil {
		return nil, &eventlog.OpError{Op: "load", Stream: stream, Err: mapError(err)}
	}
	defer rs.Close()
	var out []eventlog.RecordedEvent
	for {
		re, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &eventlog.OpError{Op: "load", Stream: stream, Err: mapError(err)}
		}
		ev, err := s.decode(re.Event)
		if err != nil {
			return nil, &eventlog.OpError{Op: "load", Stream: stream, Err: err}
		}
		out = append(out, ev)
	}
	if len(out) == 0 {
		return nil, &eventlog.OpError{Op: "load", Stream: stream, Err: eventlog.ErrStreamNotFound}
	}
	return out, nil
}

// decode turns a client event into an eventlog.RecordedEvent.
func (s *Store) decode(e *esdb.RecordedEvent) (eventlog.RecordedEvent, error) {
	meta, err := decodeMetadata(e.UserMetadata)
	if err != nil {
		return eventlog.RecordedEvent{}, fmt.Errorf("%s@%d: %w", e.StreamID, e.EventNumber, err)
	}
	payload, err := s.registry.decode(e.EventType, meta.SchemaVersion, e.Data)
	if err != nil {
		if errors.Is(err, errUnregistered) {
			err = fmt.Errorf("%w: %q", eventlog.ErrUnknownEventType, e.EventType)
		}
		return eventlog.RecordedEvent{}, fmt.Errorf("%s@%d: %w", e.StreamID, e.EventNumber, err)
	}
	return eventlog.RecordedEvent{
		Stream:      e.StreamID,
		Revision:    e.EventNumber,
		Position:    eventlog.Position{Commit: e.Position.Commit, Prepare: e.Position.Prepare},
		ID:          e.EventID,
		Type:        e.EventType,
		Event:       payload,
		Meta:        meta,
		RecordedAt:  e.CreatedDate,
		Data:        e.Data,
		RawMetadata: e.UserMetadata,
	}, nil
}
