package esdbnode

import (
	"encoding/binary"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/google/uuid"
)

// System metadata keys on proposed and recorded events.
const (
	metadataType        = "type"
	metadataContentType = "content-type"
	metadataCreated     = "created"

	contentTypeJSON   = "application/json"
	contentTypeBinary = "application/octet-stream"
)

// ticksPerNano: .NET ticks are 100 ns.
const nanosPerTick = 100

func toTicks(t time.Time) int64 { return t.UnixNano() / nanosPerTick }

// protoUUID encodes id as EventStoreDB does: two big-endian int64 halves
// (structured) or the canonical string.
func protoUUID(id uuid.UUID, structured bool) *shared.UUID {
	if !structured {
		return &shared.UUID{Value: &shared.UUID_String_{String_: id.String()}}
	}
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(id[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(id[8:])),
	}}}
}

// parseUUID decodes either form; a missing id becomes a fresh one, as the
// server cannot store an event without one.
func parseUUID(p *shared.UUID) (uuid.UUID, error) {
	if p == nil {
		return uuid.Nil, errInvalid("event id is missing")
	}
	if s := p.GetStructured(); s != nil {
		var id uuid.UUID
		binary.BigEndian.PutUint64(id[:8], uint64(s.MostSignificantBits))
		binary.BigEndian.PutUint64(id[8:], uint64(s.LeastSignificantBits))
		return id, nil
	}
	id, err := uuid.Parse(p.GetString_())
	if err != nil {
		return uuid.Nil, errInvalid("event id is not a UUID: " + err.Error())
	}
	return id, nil
}
