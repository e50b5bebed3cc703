package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
)

func sampleRecord() record {
	return record{flags: flagTxEnd, rev: 7, created: 42, prev: 100, skip: 64,
		id: uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), stream: "visit-1", typ: "VisitKnocked",
		ctype: "application/json", data: []byte(`{"a":1}`), meta: []byte(`{"m":2}`)}
}

// FuzzDecodeFrame: decoding any bytes never panics, and whatever decodes
// re-encodes to the same bytes.
func FuzzDecodeFrame(f *testing.F) {
	r := sampleRecord()
	frame := appendFrame(nil, &r)
	f.Add(frame)
	f.Add(frame[:len(frame)-1])
	f.Add(append(appendFrame(nil, &record{stream: "s", typ: "T", ctype: "c"}), frame...))
	f.Add([]byte{})
	f.Add(make([]byte, 80))
	corrupt := bytes.Clone(frame)
	corrupt[20] ^= 0xff
	f.Add(corrupt)
	f.Fuzz(func(t *testing.T, b []byte) {
		got, n, err := decodeFrame(b)
		if err != nil {
			if n != 0 {
				t.Fatalf("error %v with size %d", err, n)
			}
			return
		}
		if n > len(b) {
			t.Fatalf("size %d beyond input %d", n, len(b))
		}
		if again := appendFrame(nil, &got); !bytes.Equal(again, b[:n]) {
			t.Fatalf("re-encoding differs")
		}
	})
}

// FuzzDecodePayload checks the payload decoder alone, without the checksum
// in the way, so the fuzzer reaches every length check.
func FuzzDecodePayload(f *testing.F) {
	r := sampleRecord()
	frame := appendFrame(nil, &r)
	f.Add(frame[frameHeaderSize : len(frame)-frameTrailerSize])
	f.Add(make([]byte, fixedPayloadSize))
	f.Fuzz(func(t *testing.T, p []byte) {
		got, err := decodePayload(p)
		if err != nil {
			return
		}
		if got.payloadSize() != len(p) {
			t.Fatalf("decoded %d bytes of %d", got.payloadSize(), len(p))
		}
	})
}

// FuzzParseMetadata: any metadata JSON parses without panic, and setting
// $tb on a JSON object always reads back.
func FuzzParseMetadata(f *testing.F) {
	for _, s := range []string{
		`{"$maxCount":3}`, `{"$maxAge":60,"$tb":5}`, `{"$tb":9223372036854775807}`, `{"$tb":-1}`,
		`{"$maxCount":"3"}`, `{"$maxCount":1e3}`, `[]`, `null`, `not json`, `{"$acl":{"$r":"$all"}}`, ``,
		`{"$maxCount":99999999999999999999}`,
	} {
		f.Add([]byte(s), uint64(3))
	}
	f.Fuzz(func(t *testing.T, b []byte, tb uint64) {
		_ = parseMetadata(b)
		tb &= 1<<63 - 1
		out, ok := withTruncateBefore(b, tb)
		if !ok {
			return
		}
		if got := parseMetadata(out); got.tb != tb {
			t.Fatalf("$tb %d after setting %d in %s", got.tb, tb, out)
		}
	})
}

// FuzzOpenAfterTornTail: whatever bytes follow the last complete write of
// the last segment, Open either succeeds, keeps the complete writes and
// appends, or (a well-formed record follows bad bytes) refuses with a
// *CorruptError and leaves the file as it was.
func FuzzOpenAfterTornTail(f *testing.F) {
	r := sampleRecord()
	f.Add(appendFrame(nil, &r)[:30])
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Add(binary.LittleEndian.AppendUint32(nil, 200))
	end := r
	end.flags = flagTxEnd
	f.Add(appendFrame([]byte{9, 9, 9}, &end)) // damage, then a whole write: refused
	f.Fuzz(func(t *testing.T, tail []byte) {
		dir := t.TempDir()
		e, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ev := ProposedEvent{ID: uuid.New(), Type: "T", ContentType: "application/json", Data: []byte(`{}`)}
		if _, err := e.Append(t.Context(), "s", Expected{}, []ProposedEvent{ev}); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		fh, err := os.OpenFile(filepath.Join(dir, "0000000000"+segmentExt), os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fh.Write(tail); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		seg := filepath.Join(dir, "0000000000"+segmentExt)
		before, _ := os.ReadFile(seg)
		e, err = Open(dir, Options{})
		var ce *CorruptError
		if errors.As(err, &ce) && ce.Next > ce.Offset {
			if after, _ := os.ReadFile(seg); !bytes.Equal(after, before) {
				t.Fatalf("refused open changed the segment")
			}
			return
		}
		if err != nil {
			t.Fatalf("open after tail %x: %v", tail, err)
		}
		defer e.Close()
		got, err := e.ReadStream("s", 0, false, Forwards, 0)
		if err != nil || len(got) < 1 || got[0].ID != ev.ID {
			t.Fatalf("complete write lost: %v", err)
		}
		if _, err := e.Append(t.Context(), "s2", Expected{Kind: ExpectNoStream}, []ProposedEvent{ev}); err != nil && !errors.Is(err, ErrStreamDeleted) {
			t.Fatalf("append after recovery: %v", err)
		}
	})
}

// FuzzNextFrame: nextFrame finds the same offset as trying decodeFrame at
// every position, whatever surrounds the frames.
func FuzzNextFrame(f *testing.F) {
	r := sampleRecord()
	frame := appendFrame(nil, &r)
	f.Add([]byte{1, 2, 3}, frame, 0)
	f.Add(make([]byte, 100), frame[:40], 5)
	f.Add([]byte{200, 0, 0, 0}, append(frame[:10:10], frame...), 1)
	f.Fuzz(func(t *testing.T, pre, rest []byte, from int) {
		b := append(append([]byte{}, pre...), rest...)
		if from < 0 || from > len(b) {
			from = 0
		}
		want := int64(-1)
		for i := from; i < len(b); i++ {
			if _, _, err := decodeFrame(b[i:]); err == nil {
				want = int64(i)
				break
			}
		}
		got, err := nextFrame(bytes.NewReader(b), int64(from), int64(len(b)))
		if err != nil || got != want {
			t.Fatalf("nextFrame = %d, %v; want %d", got, err, want)
		}
	})
}
