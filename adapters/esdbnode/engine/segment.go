package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// A segment file starts with a header of segmentHeaderSize bytes:
//
//	[8]byte magic | u32 format version | u64 segment size | u64 index | zero padding
//
// Records follow. The position of a record is index*segmentSize + offset, so
// positions grow across segments and the first record of a store is at
// position segmentHeaderSize > 0.
const (
	segmentHeaderSize = 64
	segmentMagic      = "BBESDB01"
	segmentVersion    = 1
	segmentExt        = ".seg"
)

// segment is one open segment file.
type segment struct {
	index int64
	f     *os.File
	// end is the offset just past the last durable record, stored by the
	// writer goroutine after fsync and loaded by readers.
	end atomic.Int64
}

func segmentName(dir string, index int64) string {
	return filepath.Join(dir, fmt.Sprintf("%010d%s", index, segmentExt))
}

// listSegments returns the indexes of the segment files in dir, ascending.
func listSegments(dir string) ([]int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("engine: list segments: %w", err)
	}
	var out []int64
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, segmentExt) {
			continue
		}
		i, err := strconv.ParseInt(strings.TrimSuffix(name, segmentExt), 10, 64)
		if err != nil {
			continue
		}
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out, nil
}

func encodeSegmentHeader(index, size int64) []byte {
	h := make([]byte, segmentHeaderSize)
	copy(h, segmentMagic)
	binary.LittleEndian.PutUint32(h[8:], segmentVersion)
	binary.LittleEndian.PutUint64(h[12:], uint64(size))
	binary.LittleEndian.PutUint64(h[20:], uint64(index))
	return h
}

// errBadHeader says a segment header is missing, torn or foreign.
var errBadHeader = errors.New("bad segment header")

// readSegmentHeader returns the segment size recorded in f's header.
func readSegmentHeader(f *os.File, index int64) (int64, error) {
	h := make([]byte, segmentHeaderSize)
	if _, err := f.ReadAt(h, 0); err != nil {
		return 0, fmt.Errorf("%w: %v", errBadHeader, err)
	}
	if string(h[:8]) != segmentMagic || binary.LittleEndian.Uint32(h[8:]) != segmentVersion {
		return 0, fmt.Errorf("%w: magic or version", errBadHeader)
	}
	if got := int64(binary.LittleEndian.Uint64(h[20:])); got != index {
		return 0, fmt.Errorf("%w: index %d in file %d", errBadHeader, got, index)
	}
	size := int64(binary.LittleEndian.Uint64(h[12:]))
	if size < minSegmentSize || size > 1<<40 {
		return 0, fmt.Errorf("%w: segment size %d", errBadHeader, size)
	}
	return size, nil
}

// createSegment creates a segment file with its header, durably (the file,
// and its directory entry).
func createSegment(dir string, index, size int64) (*segment, error) {
	f, err := os.OpenFile(segmentName(dir, index), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("engine: create segment: %w", err)
	}
	if _, err := f.WriteAt(encodeSegmentHeader(index, size), 0); err != nil {
		f.Close()
		return nil, fmt.Errorf("engine: write segment header: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("engine: sync segment: %w", err)
	}
	if err := syncDir(dir); err != nil {
		f.Close()
		return nil, err
	}
	s := &segment{index: index, f: f}
	s.end.Store(segmentHeaderSize)
	return s, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("engine: open dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("engine: sync dir: %w", err)
	}
	return nil
}
