package eventbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// EventTypes maps event type names to Go types and their current schema
// version; *eventstore.Registry implements it.
type EventTypes interface {
	GoType(name string) (t reflect.Type, version int, ok bool)
}

// Message metadata keys.
const (
	keyStream        = "es_stream"
	keyRevision      = "es_revision"
	keyCommit        = "es_commit"
	keyPrepare       = "es_prepare"
	keyType          = "es_type"
	keyRecordedAt    = "es_recorded_at"
	keyRawMetadata   = "es_raw_metadata"
	keyCurrent       = "es_current_payload" // only when the stored payload was upcast
	keyCorrelationID = "correlation_id"
	keyCausationID   = "causation_id"
	keyActorRole     = "actor_role"
	keyActorID       = "actor_id"
	keyOccurredAt    = "occurred_at"
	keySchemaVersion = "schema_version"
	keyPrevHash      = "prev_hash"
	keyReplay        = "es_replay" // "true" for events of the backlog
)

// errUndecodable marks a message that can never be decoded (a permanent
// failure that goes straight to the poison queue).
var errUndecodable = errors.New("eventbus: undecodable message")

// encode turns a recorded event into a message. When the store upcast the
// payload (stored schema older than the current one), the current form is
// carried too, so receivers need no upcasters.
func encode(e eventlog.RecordedEvent, types EventTypes) (*message.Message, error) {
	msg := message.NewMessage(e.ID.String(), e.Data)
	md := msg.Metadata
	md[keyStream] = e.Stream
	md[keyRevision] = strconv.FormatUint(e.Revision, 10)
	md[keyCommit] = strconv.FormatUint(e.Position.Commit, 10)
	md[keyPrepare] = strconv.FormatUint(e.Position.Prepare, 10)
	md[keyType] = e.Type
	md[keyRecordedAt] = e.RecordedAt.UTC().Format(time.RFC3339Nano)
	md[keyRawMetadata] = string(e.RawMetadata)
	md[keyCorrelationID] = e.Meta.CorrelationID.String()
	md[keyCausationID] = e.Meta.CausationID.String()
	if !e.Meta.Actor.IsZero() {
		md[keyActorRole] = e.Meta.Actor.Role().String()
		md[keyActorID] = e.Meta.Actor.ID()
	}
	md[keyOccurredAt] = e.Meta.OccurredAt.UTC().Format(time.RFC3339Nano)
	md[keySchemaVersion] = strconv.Itoa(e.Meta.SchemaVersion)
	if e.Meta.PrevHash != "" {
		md[keyPrevHash] = e.Meta.PrevHash
	}
	if _, current, ok := types.GoType(e.Type); ok && e.Meta.SchemaVersion < current && e.Event != nil {
		b, err := json.Marshal(e.Event)
		if err != nil {
			return nil, fmt.Errorf("eventbus: encode upcast %s: %w", e.Type, err)
		}
		md[keyCurrent] = string(b)
	}
	return msg, nil
}

// decode turns a message back into the recorded event it carries.
func decode(msg *message.Message, types EventTypes) (eventlog.RecordedEvent, error) {
	md := msg.Metadata
	var e eventlog.RecordedEvent
	var errs []error
	parseU := func(key string) uint64 {
		v, err := strconv.ParseUint(md.Get(key), 10, 64)
		errs = append(errs, err)
		return v
	}
	parseT := func(key string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, md.Get(key))
		errs = append(errs, err)
		return v
	}
	parseID := func(s string) uuid.UUID {
		v, err := uuid.Parse(s)
		errs = append(errs, err)
		return v
	}
	e.ID = parseID(msg.UUID)
	e.Stream = md.Get(keyStream)
	e.Type = md.Get(keyType)
	e.Revision = parseU(keyRevision)
	e.Position = eventlog.Position{Commit: parseU(keyCommit), Prepare: parseU(keyPrepare)}
	e.RecordedAt = parseT(keyRecordedAt)
	e.Data = msg.Payload
	e.RawMetadata = []byte(md.Get(keyRawMetadata))
	e.Meta.CorrelationID = parseID(md.Get(keyCorrelationID))
	e.Meta.CausationID = parseID(md.Get(keyCausationID))
	e.Meta.OccurredAt = parseT(keyOccurredAt)
	e.Meta.PrevHash = md.Get(keyPrevHash)
	sv, err := strconv.Atoi(md.Get(keySchemaVersion))
	errs = append(errs, err)
	e.Meta.SchemaVersion = sv
	if role := md.Get(keyActorRole); role != "" {
		r, err := domain.ParseRole(role)
		errs = append(errs, err)
		if err == nil {
			e.Meta.Actor, err = domain.NewActor(r, md.Get(keyActorID))
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return eventlog.RecordedEvent{}, fmt.Errorf("%w %s: metadata: %v", errUndecodable, msg.UUID, err)
	}
	t, _, ok := types.GoType(e.Type)
	if !ok {
		return eventlog.RecordedEvent{}, fmt.Errorf("%w %s: %w: %q", errUndecodable, msg.UUID, eventlog.ErrUnknownEventType, e.Type)
	}
	payload := msg.Payload
	if cur, ok := md[keyCurrent]; ok {
		payload = []byte(cur)
	}
	ptr := reflect.New(t)
	if err := json.Unmarshal(payload, ptr.Interface()); err != nil {
		// The JSON error names offsets and types, never the payload's values.
		return eventlog.RecordedEvent{}, fmt.Errorf("%w %s: payload of %s: %v", errUndecodable, msg.UUID, e.Type, err)
	}
	ev, ok := ptr.Elem().Interface().(domain.Event)
	if !ok {
		return eventlog.RecordedEvent{}, fmt.Errorf("%w %s: %s is not a domain event", errUndecodable, msg.UUID, t)
	}
	e.Event = ev
	return e, nil
}

// recordedKey carries the decoded event in a message's context in process.
type recordedKey struct{}

// withRecorded attaches e to ctx; only an in-process transport that keeps
// message contexts (GoChannel with PreserveContext) delivers it.
func withRecorded(ctx context.Context, e eventlog.RecordedEvent) context.Context {
	return context.WithValue(ctx, recordedKey{}, e)
}

// recordedOf returns the event a message carries: the one attached in
// process, or else the one decoded from the message.
func recordedOf(msg *message.Message, types EventTypes) (eventlog.RecordedEvent, error) {
	if e, ok := msg.Context().Value(recordedKey{}).(eventlog.RecordedEvent); ok && e.ID.String() == msg.UUID {
		return e, nil
	}
	return decode(msg, types)
}
