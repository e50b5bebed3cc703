package engine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// saveAndCut cuts segment file f (at path, size bytes long) at off. Unless
// the bytes cut are all zero, they are first written durably to a side file
// beside it, path + ".removed-<off>", so a cut never destroys the only copy.
// It returns the side file's path, "" when nothing was saved.
func saveAndCut(f *os.File, path string, off, size int64) (string, error) {
	if off < segmentHeaderSize || off > size {
		return "", fmt.Errorf("engine: cut %s at %d: outside [%d, %d]", path, off, segmentHeaderSize, size)
	}
	zero, err := allZero(io.NewSectionReader(f, off, size-off))
	if err != nil {
		return "", err
	}
	side := ""
	if !zero {
		if side, err = saveSide(f, path, off, size); err != nil {
			return "", err
		}
	}
	if err := f.Truncate(off); err != nil {
		return "", fmt.Errorf("engine: cut %s at %d: %w", path, off, err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("engine: sync %s: %w", path, err)
	}
	return side, nil
}

// saveSide writes bytes [off, size) of f to a new side file and syncs it and
// its directory. An existing side file is never overwritten.
func saveSide(f *os.File, path string, off, size int64) (string, error) {
	base := path + ".removed-" + strconv.FormatInt(off, 10)
	var out *os.File
	var side string
	for i := 0; out == nil; i++ {
		side = base
		if i > 0 {
			side = base + "." + strconv.Itoa(i)
		}
		o, err := os.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		switch {
		case err == nil:
			out = o
		case errors.Is(err, fs.ErrExist) && i < 1000:
		default:
			return "", fmt.Errorf("engine: side file for %s: %w", path, err)
		}
	}
	_, err := io.Copy(out, io.NewSectionReader(f, off, size-off))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		_ = os.Remove(side)
		return "", fmt.Errorf("engine: save cut bytes of %s to %s: %w", path, side, err)
	}
	return side, nil
}

func allZero(r io.Reader) (bool, error) {
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if c != 0 {
				return false, nil
			}
		}
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("engine: read: %w", err)
		}
	}
}
