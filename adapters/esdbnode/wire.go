package esdbnode

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"

	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Events are the bulk of what the node sends, and generic protobuf
// marshalling of a streams.ReadResp (a tree of five messages and a
// map[string]string per event, sized by reflection, then encoded) cost more
// CPU than reading the event from disk. So the server's codec encodes an
// event straight from the engine's RecordedEvent into a pooled buffer: the
// same wire message readEvent would build (the tests decode both and
// compare), without building it. Every other message goes to the standard
// proto codec.

// wireEvent is a read event to send, encoded by nodeCodec. The Read loop
// reuses one per call: SendMsg encodes before it returns.
type wireEvent struct {
	ev         *engine.RecordedEvent
	structured bool // structured UUIDs (else the string form)
}

// nodeCodec is the server's codec: wireEvent by hand, the rest as proto.
type nodeCodec struct {
	proto encoding.CodecV2
	pool  mem.BufferPool
}

func newNodeCodec() *nodeCodec {
	return &nodeCodec{proto: encoding.GetCodecV2(grpcproto.Name), pool: mem.DefaultBufferPool()}
}

func (c *nodeCodec) Name() string { return grpcproto.Name }

func (c *nodeCodec) Marshal(v any) (mem.BufferSlice, error) {
	w, ok := v.(*wireEvent)
	if !ok {
		return c.proto.Marshal(v)
	}
	size := readRespEventSize(w.ev, w.structured)
	if mem.IsBelowBufferPoolingThreshold(size) {
		// gRPC does not pool buffers this small either.
		return mem.BufferSlice{mem.SliceBuffer(appendReadRespEvent(make([]byte, 0, size), w.ev, w.structured))}, nil
	}
	buf := c.pool.Get(size)
	b := appendReadRespEvent((*buf)[:0], w.ev, w.structured)
	if len(b) != size || cap(b) != cap(*buf) {
		c.pool.Put(buf)
		return nil, fmt.Errorf("esdbnode: encoded event is %d bytes, sized %d", len(b), size)
	}
	*buf = b
	return mem.BufferSlice{mem.NewBuffer(buf, c.pool)}, nil
}

func (c *nodeCodec) Unmarshal(data mem.BufferSlice, v any) error { return c.proto.Unmarshal(data, v) }

// Wire tags (field number << 3 | wire type) of the messages encoded here.
const (
	tagReadRespEvent  = 1<<3 | 2 // ReadResp.event
	tagReadEventEvent = 1<<3 | 2 // ReadResp.ReadEvent.event
	tagReadEventPos   = 3<<3 | 0 // ReadResp.ReadEvent.commit_position (oneof: always present)
	tagRecID          = 1<<3 | 2
	tagRecStream      = 2<<3 | 2
	tagRecRevision    = 3<<3 | 0
	tagRecPrepare     = 4<<3 | 0
	tagRecCommit      = 5<<3 | 0
	tagRecMetadata    = 6<<3 | 2
	tagRecCustomMeta  = 7<<3 | 2
	tagRecData        = 8<<3 | 2
	tagStreamName     = 3<<3 | 2 // StreamIdentifier.stream_name
	tagUUIDStructured = 1<<3 | 2
	tagUUIDString     = 2<<3 | 2
	tagUUIDMost       = 1<<3 | 0
	tagUUIDLeast      = 2<<3 | 0
	tagMapKey         = 1<<3 | 2
	tagMapValue       = 2<<3 | 2

	uuidStringLen = 36
)

func varintSize(v uint64) int { return 1 + (bits.Len64(v|1)-1)/7 }

// bytesField is the size of a length-delimited field with a one-byte tag.
func bytesField(n int) int { return 1 + varintSize(uint64(n)) + n }

// optVarint is the size of a proto3 scalar field with a one-byte tag (0 when zero).
func optVarint(v uint64) int {
	if v == 0 {
		return 0
	}
	return 1 + varintSize(v)
}

// optBytes is the size of a proto3 bytes field (0 when empty).
func optBytes(n int) int {
	if n == 0 {
		return 0
	}
	return bytesField(n)
}

func uuidHalves(ev *engine.RecordedEvent) (uint64, uint64) {
	return binary.BigEndian.Uint64(ev.ID[:8]), binary.BigEndian.Uint64(ev.ID[8:])
}

func uuidSize(ev *engine.RecordedEvent, structured bool) int {
	if !structured {
		return bytesField(uuidStringLen)
	}
	hi, lo := uuidHalves(ev)
	return bytesField(optVarint(hi) + optVarint(lo))
}

func mapEntrySize(k, v int) int { return bytesField(bytesField(k) + bytesField(v)) }

func decimalLen(v int64) int {
	var b [20]byte
	return len(strconv.AppendInt(b[:0], v, 10))
}

func recordedEventSize(ev *engine.RecordedEvent, structured bool) int {
	pos := uint64(ev.Position)
	return bytesField(uuidSize(ev, structured)) +
		bytesField(optBytes(len(ev.Stream))) +
		optVarint(ev.Revision) + 2*optVarint(pos) +
		mapEntrySize(len(metadataType), len(ev.Type)) +
		mapEntrySize(len(metadataContentType), len(ev.ContentType)) +
		mapEntrySize(len(metadataCreated), decimalLen(ev.Created)) +
		optBytes(len(ev.Metadata)) + optBytes(len(ev.Data))
}

func readEventSize(ev *engine.RecordedEvent, structured bool) int {
	return bytesField(recordedEventSize(ev, structured)) + 1 + varintSize(uint64(ev.Position))
}

// readRespEventSize is the encoded size of the ReadResp carrying ev.
func readRespEventSize(ev *engine.RecordedEvent, structured bool) int {
	return bytesField(readEventSize(ev, structured))
}

func appendTagLen(b []byte, tag byte, n int) []byte {
	return binary.AppendUvarint(append(b, tag), uint64(n))
}

func appendOptVarint(b []byte, tag byte, v uint64) []byte {
	if v == 0 {
		return b
	}
	return binary.AppendUvarint(append(b, tag), v)
}

func appendOptBytes[T string | []byte](b []byte, tag byte, v T) []byte {
	if len(v) == 0 {
		return b
	}
	return append(appendTagLen(b, tag, len(v)), v...)
}

func appendMapEntry(b []byte, k, v string) []byte {
	b = appendTagLen(b, tagRecMetadata, bytesField(len(k))+bytesField(len(v)))
	b = append(appendTagLen(b, tagMapKey, len(k)), k...)
	return append(appendTagLen(b, tagMapValue, len(v)), v...)
}

// appendReadRespEvent appends the ReadResp{event} message readEvent builds
// for ev, encoded. Fields come in field-number order, zero scalars and
// empty bytes omitted, as proto.Marshal does.
func appendReadRespEvent(b []byte, ev *engine.RecordedEvent, structured bool) []byte {
	pos := uint64(ev.Position)
	b = appendTagLen(b, tagReadRespEvent, readEventSize(ev, structured))
	b = appendTagLen(b, tagReadEventEvent, recordedEventSize(ev, structured))

	b = appendTagLen(b, tagRecID, uuidSize(ev, structured))
	if structured {
		hi, lo := uuidHalves(ev)
		b = appendTagLen(b, tagUUIDStructured, optVarint(hi)+optVarint(lo))
		b = appendOptVarint(b, tagUUIDMost, hi)
		b = appendOptVarint(b, tagUUIDLeast, lo)
	} else {
		b = appendTagLen(b, tagUUIDString, uuidStringLen)
		b = appendUUIDString(b, ev.ID)
	}
	b = appendTagLen(b, tagRecStream, optBytes(len(ev.Stream)))
	b = appendOptBytes(b, tagStreamName, ev.Stream)
	b = appendOptVarint(b, tagRecRevision, ev.Revision)
	b = appendOptVarint(b, tagRecPrepare, pos)
	b = appendOptVarint(b, tagRecCommit, pos)
	b = appendMapEntry(b, metadataType, ev.Type)
	b = appendMapEntry(b, metadataContentType, ev.ContentType)
	b = appendTagLen(b, tagRecMetadata, bytesField(len(metadataCreated))+bytesField(decimalLen(ev.Created)))
	b = append(appendTagLen(b, tagMapKey, len(metadataCreated)), metadataCreated...)
	b = appendTagLen(b, tagMapValue, decimalLen(ev.Created))
	b = strconv.AppendInt(b, ev.Created, 10)
	b = appendOptBytes(b, tagRecCustomMeta, ev.Metadata)
	b = appendOptBytes(b, tagRecData, ev.Data)

	b = append(b, tagReadEventPos)
	return binary.AppendUvarint(b, pos)
}

// appendUUIDString appends id in canonical 8-4-4-4-12 lower-case hex.
func appendUUIDString(b []byte, id [16]byte) []byte {
	const hex = "0123456789abcdef"
	for i, x := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hex[x>>4], hex[x&0xf])
	}
	return b
}
