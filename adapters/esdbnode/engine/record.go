package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"path/filepath"

	"github.com/google/uuid"
)

// On-disk frame of one record:
//
//	u32 payload length | u32 CRC-32C of payload | payload | u32 payload length
//
// The trailing length lets the log be walked backwards. The payload:
//
//	u8 kind | u8 flags | u64 revision | i64 created | u64 prev | u64 skip |
//	[16]byte event id | u16 len stream | u16 len type | u16 len content type |
//	u32 len data | u32 len metadata | stream | type | content type | data | metadata
//
// prev is the position of the previous event of the same stream (0 when
// none); skip is the position of revision rev&(rev-1) of the same stream,
// which makes finding a revision logarithmic without a per-event index in
// memory. All integers are little endian.
const (
	frameHeaderSize  = 8
	frameTrailerSize = 4
	frameOverhead    = frameHeaderSize + frameTrailerSize
	fixedPayloadSize = 1 + 1 + 8 + 8 + 8 + 8 + 16 + 2 + 2 + 2 + 4 + 4
	maxNameLen       = 1<<16 - 1
	// maxPayloadSize bounds a decoded length so a corrupt length cannot make
	// a reader allocate without limit.
	maxPayloadSize = fixedPayloadSize + 3*maxNameLen + maxAppendSizeLimit

	kindEvent byte = 1
	// flagTxEnd marks the last record of one atomic write. Records after the
	// last flagged record are an unfinished write and are cut off at open.
	flagTxEnd byte = 1 << 0
)

// tombstoneRevision is the revision of the $streamDeleted event that
// hard-deletes a stream (EventStoreDB's EventNumber.DeletedStream).
const tombstoneRevision = uint64(1<<63 - 1)

// errShortFrame says the buffer ends inside a frame.
var errShortFrame = errors.New("short frame")

// CorruptError reports bytes in the log that do not decode. Open and Verify
// also say where: the store directory, the segment file, the offset in it
// and what follows the damage.
type CorruptError struct {
	Position Position
	Reason   string
	Dir      string // store directory; empty for errors from reads
	File     string // segment file name in Dir
	Offset   int64  // offset of the damaged record in File
	Next     int64  // offset of the next well-formed record after it; 0 when none
	Size     int64  // size of File
}

func (e *CorruptError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("engine: corrupt record at position %d: %s", e.Position, e.Reason)
	}
	follows := "nothing well formed follows it"
	if e.Next > 0 {
		follows = fmt.Sprintf("a well-formed record follows at offset %d (%d bytes before the end of the file), so this is damage, not a torn tail", e.Next, e.Size-e.Next)
	}
	return fmt.Sprintf("engine: %s: record at offset %d (position %d) is damaged: %s; %s; nothing was cut. "+
		"Restore the file from a backup, or (node stopped) inspect with `buergerbuero node check --data %s` and cut there, "+
		"dropping every record from that offset on (saved beside the file first), with "+
		"`buergerbuero node repair --data %s --at %s:%d --yes-cut-data`",
		filepath.Join(e.Dir, e.File), e.Offset, e.Position, e.Reason, follows, e.Dir, e.Dir, e.File, e.Offset)
}

type record struct {
	flags   byte
	rev     uint64
	created int64
	prev    Position
	skip    Position
	id      uuid.UUID
	stream  string
	typ     string
	ctype   string
	data    []byte
	meta    []byte
}

func (r *record) payloadSize() int {
	return fixedPayloadSize + len(r.stream) + len(r.typ) + len(r.ctype) + len(r.data) + len(r.meta)
}

func (r *record) frameSize() int { return frameOverhead + r.payloadSize() }

func castagnoli(b []byte) uint32 {
	return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))
}

// appendFrame encodes r as a frame at the end of dst.
func appendFrame(dst []byte, r *record) []byte {
	n := r.payloadSize()
	le := binary.LittleEndian
	dst = le.AppendUint32(dst, uint32(n))
	crcAt := len(dst)
	dst = le.AppendUint32(dst, 0)
	start := len(dst)
	dst = append(dst, kindEvent, r.flags)
	dst = le.AppendUint64(dst, r.rev)
	dst = le.AppendUint64(dst, uint64(r.created))
	dst = le.AppendUint64(dst, uint64(r.prev))
	dst = le.AppendUint64(dst, uint64(r.skip))
	dst = append(dst, r.id[:]...)
	dst = le.AppendUint16(dst, uint16(len(r.stream)))
	dst = le.AppendUint16(dst, uint16(len(r.typ)))
	dst = le.AppendUint16(dst, uint16(len(r.ctype)))
	dst = le.AppendUint32(dst, uint32(len(r.data)))
	dst = le.AppendUint32(dst, uint32(len(r.meta)))
	dst = append(dst, r.stream...)
	dst = append(dst, r.typ...)
	dst = append(dst, r.ctype...)
	dst = append(dst, r.data...)
	dst = append(dst, r.meta...)
	le.PutUint32(dst[crcAt:], castagnoli(dst[start:]))
	return le.AppendUint32(dst, uint32(n))
}

// decodeFrame decodes the frame at the start of b. It returns the frame size
// or errShortFrame when b ends inside the frame, or an error describing why
// the bytes are not a frame. The record does not alias b.
func decodeFrame(b []byte) (record, int, error) {
	if len(b) < frameHeaderSize {
		return record{}, 0, errShortFrame
	}
	le := binary.LittleEndian
	n := int(le.Uint32(b))
	if n < fixedPayloadSize || n > maxPayloadSize {
		return record{}, 0, fmt.Errorf("payload length %d out of range", n)
	}
	total := frameOverhead + n
	if len(b) < total {
		return record{}, 0, errShortFrame
	}
	payload := b[frameHeaderSize : frameHeaderSize+n]
	if castagnoli(payload) != le.Uint32(b[4:]) {
		return record{}, 0, errors.New("checksum mismatch")
	}
	if int(le.Uint32(b[frameHeaderSize+n:])) != n {
		return record{}, 0, errors.New("trailer length mismatch")
	}
	r, err := decodePayload(payload)
	if err != nil {
		return record{}, 0, err
	}
	return r, total, nil
}

// decodePayload decodes a checksummed payload.
func decodePayload(p []byte) (record, error) {
	if len(p) < fixedPayloadSize {
		return record{}, errors.New("payload too short")
	}
	le := binary.LittleEndian
	if p[0] != kindEvent {
		return record{}, fmt.Errorf("unknown record kind %d", p[0])
	}
	r := record{
		flags:   p[1],
		rev:     le.Uint64(p[2:]),
		created: int64(le.Uint64(p[10:])),
		prev:    Position(le.Uint64(p[18:])),
		skip:    Position(le.Uint64(p[26:])),
	}
	copy(r.id[:], p[34:50])
	ls, lt, lc := int(le.Uint16(p[50:])), int(le.Uint16(p[52:])), int(le.Uint16(p[54:]))
	ld, lm := uint64(le.Uint32(p[56:])), uint64(le.Uint32(p[60:]))
	if uint64(fixedPayloadSize+ls+lt+lc)+ld+lm != uint64(len(p)) {
		return record{}, errors.New("field lengths do not add up to the payload length")
	}
	// Two allocations per record, not five: the names share one string,
	// data and metadata one array (metadata capped so it cannot grow into
	// data), and the content type is one of two constants in practice.
	o := fixedPayloadSize
	names := string(p[o : o+ls+lt])
	r.stream, r.typ = names[:ls], names[ls:]
	o += ls + lt
	r.ctype = internContentType(p[o : o+lc])
	o += lc
	if body := ld + lm; body > 0 {
		b := make([]byte, body)
		copy(b, p[o:o+int(body)])
		r.data = b[:ld:ld]
		r.meta = b[ld:]
	} else {
		r.data, r.meta = []byte{}, []byte{}
	}
	return r, nil
}

func internContentType(b []byte) string {
	switch string(b) { // no allocation for the comparison
	case contentTypeJSON:
		return contentTypeJSON
	case contentTypeBinary:
		return contentTypeBinary
	}
	return string(b)
}

func (r *record) toEvent(pos Position) RecordedEvent {
	return RecordedEvent{
		Stream:      r.stream,
		Revision:    r.rev,
		Position:    pos,
		ID:          r.id,
		Type:        r.typ,
		ContentType: r.ctype,
		Created:     r.created,
		Data:        r.data,
		Metadata:    r.meta,
	}
}
