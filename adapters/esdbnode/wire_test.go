package esdbnode

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// readEvent is the message the hand encoder must produce, built the
// generic way (as the server did before wire.go).
func readEvent(ev *engine.RecordedEvent, structuredIDs bool) *streams.ReadResp {
	pos := uint64(ev.Position)
	return &streams.ReadResp{Content: &streams.ReadResp_Event{Event: &streams.ReadResp_ReadEvent{
		Event: &streams.ReadResp_ReadEvent_RecordedEvent{
			Id:               protoUUID(ev.ID, structuredIDs),
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(ev.Stream)},
			StreamRevision:   ev.Revision,
			PreparePosition:  pos,
			CommitPosition:   pos,
			Metadata: map[string]string{
				metadataType:        ev.Type,
				metadataContentType: ev.ContentType,
				metadataCreated:     strconv.FormatInt(ev.Created, 10),
			},
			CustomMetadata: ev.Metadata,
			Data:           ev.Data,
		},
		Position: &streams.ReadResp_ReadEvent_CommitPosition{CommitPosition: pos},
	}}}
}

func wireEvents() []engine.RecordedEvent {
	r := rand.New(rand.NewPCG(1, 2))
	evs := []engine.RecordedEvent{
		{}, // every field zero
		{Stream: "s", Revision: 1, Position: 64, ID: uuid.New(), Type: "T", ContentType: contentTypeJSON, Created: 1, Data: []byte("{}")},
		{Stream: "$$s", Revision: math.MaxInt64, Position: math.MaxUint64, ID: uuid.UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
			Type: "$streamDeleted", ContentType: contentTypeBinary, Created: -1, Metadata: []byte("m")},
		{Stream: strings.Repeat("x", 300), Revision: 127, Position: 128, ID: uuid.UUID{0: 0x80}, Type: strings.Repeat("t", 200),
			ContentType: contentTypeJSON, Created: math.MinInt64, Data: bytes.Repeat([]byte("d"), 70_000), Metadata: bytes.Repeat([]byte("m"), 16_384)},
	}
	for range 200 {
		ev := engine.RecordedEvent{
			Stream: strings.Repeat("s", r.IntN(140)), Revision: r.Uint64() >> r.IntN(64), Position: engine.Position(r.Uint64() >> r.IntN(64)),
			Type: strings.Repeat("T", r.IntN(140)), ContentType: contentTypeJSON, Created: r.Int64() >> r.IntN(64),
		}
		for i := range ev.ID {
			if r.IntN(3) > 0 {
				ev.ID[i] = byte(r.Uint32())
			}
		}
		if r.IntN(4) > 0 {
			ev.Data = bytes.Repeat([]byte{byte(r.Uint32())}, r.IntN(20_000))
		}
		if r.IntN(2) > 0 {
			ev.Metadata = bytes.Repeat([]byte{'m'}, r.IntN(300))
		}
		evs = append(evs, ev)
	}
	return evs
}

// The hand encoding decodes to exactly the message readEvent builds, has
// its size, and the codec hands it out whole, pooled or not.
func TestWireEventMatchesProto(t *testing.T) {
	c := newNodeCodec()
	for i, ev := range wireEvents() {
		for _, structured := range []bool{true, false} {
			want := readEvent(&ev, structured)
			enc := appendReadRespEvent(nil, &ev, structured)
			if n := readRespEventSize(&ev, structured); n != len(enc) || n != proto.Size(want) {
				t.Fatalf("event %d structured=%v: sized %d, encoded %d, proto size %d", i, structured, n, len(enc), proto.Size(want))
			}
			var got streams.ReadResp
			if err := proto.Unmarshal(enc, &got); err != nil {
				t.Fatalf("event %d: unmarshal: %v", i, err)
			}
			if !proto.Equal(&got, want) {
				t.Fatalf("event %d structured=%v:\n got %v\nwant %v", i, structured, &got, want)
			}
			bs, err := c.Marshal(&wireEvent{ev: &ev, structured: structured})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(bs.Materialize(), enc) {
				t.Fatalf("event %d: codec output differs from the encoding", i)
			}
			bs.Free()
		}
	}
}

// Other messages go through the proto codec both ways.
func TestNodeCodecDelegates(t *testing.T) {
	c := newNodeCodec()
	msg := &streams.ReadResp{Content: &streams.ReadResp_CaughtUp_{CaughtUp: &streams.ReadResp_CaughtUp{}}}
	bs, err := c.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	var got streams.ReadResp
	if err := c.Unmarshal(mem.BufferSlice{mem.SliceBuffer(bs.Materialize())}, &got); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(&got, msg) {
		t.Fatalf("got %v", &got)
	}
}

func BenchmarkWireEvent(b *testing.B) {
	ev := engine.RecordedEvent{Stream: "visit-bench-17", Revision: 42, Position: 123456789, ID: uuid.New(), Type: "VisitKnocked",
		ContentType: contentTypeJSON, Created: 17640000000000000, Data: bytes.Repeat([]byte("x"), 256)}
	c := newNodeCodec()
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		w := &wireEvent{ev: &ev, structured: true}
		for b.Loop() {
			bs, _ := c.Marshal(w)
			bs.Free()
		}
	})
	b.Run("proto", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bs, _ := c.Marshal(readEvent(&ev, true))
			bs.Free()
		}
	})
}
