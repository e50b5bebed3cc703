package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CutPlan is what Cut removes from a store: segment File from Offset to its
// end (Bytes bytes), and every later segment whole.
type CutPlan struct {
	Dir     string
	Segment int64
	File    string // segment file name in Dir
	Offset  int64
	Bytes   int64
	Later   []string // later segment files, removed whole
}

// PlanCut checks that segment seg of the store in dir can be cut at off
// and says what the cut removes. It changes nothing.
func PlanCut(dir string, seg, off int64) (CutPlan, error) {
	p := CutPlan{Dir: dir, Segment: seg, File: filepath.Base(segmentName(dir, seg)), Offset: off}
	idxs, err := listSegments(dir)
	if err != nil {
		return p, err
	}
	found := false
	for _, idx := range idxs {
		switch {
		case idx == seg:
			found = true
		case idx > seg:
			p.Later = append(p.Later, filepath.Base(segmentName(dir, idx)))
		}
	}
	if !found {
		return p, fmt.Errorf("engine: no segment %s in %s", p.File, dir)
	}
	fi, err := os.Stat(segmentName(dir, seg))
	if err != nil {
		return p, fmt.Errorf("engine: stat segment: %w", err)
	}
	if off < segmentHeaderSize || off > fi.Size() {
		return p, fmt.Errorf("engine: offset %d outside the records of %s [%d, %d]", off, p.File, segmentHeaderSize, fi.Size())
	}
	p.Bytes = fi.Size() - off
	return p, nil
}

// Cut carries out a plan from PlanCut, with the store's lock held (the
// node must be stopped). It first moves later segments aside, the last
// first, as <file>.removed-0, then saves the bytes cut from the segment to
// <file>.removed-<offset> (unless all zero) and truncates it. A crash
// midway leaves a store that Open refuses or opens consistently, and Cut
// can be run again. It returns the side files written.
func Cut(p CutPlan) ([]string, error) {
	lock, err := lockDir(filepath.Join(p.Dir, "LOCK"))
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	var saved []string
	for i := len(p.Later) - 1; i >= 0; i-- {
		from := filepath.Join(p.Dir, p.Later[i])
		to := from + ".removed-0"
		if _, err := os.Lstat(to); !errors.Is(err, fs.ErrNotExist) {
			return saved, fmt.Errorf("engine: %s exists; move it away first", to)
		}
		if err := os.Rename(from, to); err != nil {
			return saved, fmt.Errorf("engine: move %s aside: %w", from, err)
		}
		if err := syncDir(p.Dir); err != nil {
			return saved, err
		}
		saved = append(saved, to)
	}
	path := segmentName(p.Dir, p.Segment)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return saved, fmt.Errorf("engine: open segment: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return saved, fmt.Errorf("engine: stat %s: %w", path, err)
	}
	side, err := saveAndCut(f, path, p.Offset, fi.Size())
	if err != nil {
		return saved, err
	}
	if side != "" {
		saved = append(saved, side)
	}
	return saved, nil
}
