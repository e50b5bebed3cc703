package engine

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// System metadata keys and event types of EventStoreDB that the engine acts on.
const (
	metaKeyMaxCount       = "$maxCount"
	metaKeyMaxAge         = "$maxAge"
	metaKeyTruncateBefore = "$tb"
	metastreamPrefix      = "$$"
	eventTypeMetadata     = "$metadata"
	eventTypeDeleted      = "$streamDeleted"
	contentTypeJSON       = "application/json"
	contentTypeBinary     = "application/octet-stream"
	// softDeletedTB is $tb of a soft-deleted stream (EventNumber.DeletedStream).
	softDeletedTB = uint64(1<<63 - 1)
)

// streamMeta is the part of a stream's metadata that changes what reads of
// the stream return. Zero fields are unset.
type streamMeta struct {
	maxCount uint64 // 0: unset
	maxAge   uint64 // seconds; 0: unset
	tb       uint64 // truncate before; 0 has no effect
}

func (m streamMeta) softDeleted() bool { return m.tb == softDeletedTB }

// parseMetadata reads the system keys out of stream metadata JSON. Like
// EventStoreDB it never fails the write that carries the metadata: JSON that
// is not an object yields empty metadata, and a key whose value is not a
// non-negative integer is ignored ($maxCount and $maxAge must be positive).
func parseMetadata(b []byte) streamMeta {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return streamMeta{}
	}
	var m streamMeta
	if v, ok := metaUint(obj[metaKeyMaxCount]); ok && v > 0 {
		m.maxCount = v
	}
	if v, ok := metaUint(obj[metaKeyMaxAge]); ok && v > 0 {
		m.maxAge = v
	}
	if v, ok := metaUint(obj[metaKeyTruncateBefore]); ok {
		m.tb = v
	}
	return m
}

// metaUint parses a JSON integer in [0, MaxInt64].
func metaUint(raw json.RawMessage) (uint64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return uint64(v), true
}

// withTruncateBefore returns the metadata JSON raw with $tb set to tb, the
// rest kept (keys come out sorted). ok is false when raw is not a JSON
// object, in which case EventStoreDB skips the rewrite too.
func withTruncateBefore(raw []byte, tb uint64) ([]byte, bool) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, false
	}
	obj[metaKeyTruncateBefore] = json.RawMessage(strconv.FormatUint(tb, 10))
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, false
	}
	return out, true
}

func isMetastream(name string) bool {
	return len(name) > len(metastreamPrefix) && name[:len(metastreamPrefix)] == metastreamPrefix
}
