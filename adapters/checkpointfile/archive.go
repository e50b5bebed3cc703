// Package checkpointfile keeps a copy of every signed case checkpoint
// outside the event store: one JSON line per checkpoint, appended and
// synced, so someone who can only write the store cannot roll checkpoints
// back unnoticed (audit.CheckpointWriter compares both at start).
package checkpointfile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// Archive is an append-only file of checkpoints.
type Archive struct {
	path string
	mu   sync.Mutex
}

var _ audit.Archive = (*Archive)(nil)

// Open returns the archive at path; the file is created on first Save.
func Open(path string) (*Archive, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("checkpoint archive: %w", err)
	}
	return &Archive{path: path}, nil
}

// Save appends a checkpoint and syncs the file.
func (a *Archive) Save(_ context.Context, cp eventlog.SignedTreeHead) error {
	line, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.OpenFile(a.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(append(line, '\n'))
	return errors.Join(werr, f.Sync(), f.Close())
}

// Latest returns the last complete checkpoint; a torn last line (a crash
// during Save) is skipped.
func (a *Archive) Latest(context.Context) (*eventlog.SignedTreeHead, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	raw, err := os.ReadFile(a.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(raw, '\n'); i+1 < len(raw) {
		raw = raw[:i+1] // a torn last line: written by a crash during Save
	}
	var last *eventlog.SignedTreeHead
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var cp eventlog.SignedTreeHead
		if err := json.Unmarshal(sc.Bytes(), &cp); err != nil {
			return nil, fmt.Errorf("checkpoint archive %s line %d: %w", a.path, n, err)
		}
		last = &cp
	}
	return last, sc.Err()
}
