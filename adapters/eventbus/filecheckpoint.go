package eventbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// FileCheckpoint keeps a forwarder's position in a small JSON file, written
// at most once per interval (and on Flush). Losing the latest writes is
// harmless for idempotent handlers such as policies: they see a few events
// again after a restart. Handlers that must not repeat work need more.
type FileCheckpoint struct {
	path     string
	interval time.Duration
	now      func() time.Time

	mu        sync.Mutex
	pending   *eventlog.Position
	lastWrite time.Time
}

// NewFileCheckpoint returns a checkpoint file at path, written at most every
// interval (default 1 s).
func NewFileCheckpoint(path string, interval time.Duration) (*FileCheckpoint, error) {
	if path == "" {
		return nil, errors.New("eventbus: checkpoint path is required")
	}
	if interval <= 0 {
		interval = time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("eventbus: checkpoint directory: %w", err)
	}
	return &FileCheckpoint{path: path, interval: interval, now: time.Now}, nil
}

// String names the checkpoint (its file) in logs.
func (c *FileCheckpoint) String() string { return c.path }

type checkpointFile struct {
	Commit  uint64 `json:"commit"`
	Prepare uint64 `json:"prepare"`
}

// Load implements CheckpointStore; a missing file means "from the start".
func (c *FileCheckpoint) Load(context.Context) (*eventlog.Position, error) {
	b, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eventbus: read checkpoint: %w", err)
	}
	var f checkpointFile
	if err := json.Unmarshal(b, &f); err != nil {
		// A file cut short by a power loss: start from the beginning. The
		// handlers behind a checkpoint are idempotent, so this repeats work
		// and loses nothing; refusing to start would be worse.
		return nil, nil
	}
	return &eventlog.Position{Commit: f.Commit, Prepare: f.Prepare}, nil
}

// Save implements CheckpointStore: it remembers p and writes the file when
// the interval since the last write has passed.
func (c *FileCheckpoint) Save(_ context.Context, p eventlog.Position) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = &p
	if c.now().Sub(c.lastWrite) < c.interval {
		return nil
	}
	return c.writeLocked()
}

// Flush writes the last saved position now (call it on shutdown).
func (c *FileCheckpoint) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writeLocked()
}

func (c *FileCheckpoint) writeLocked() error {
	if c.pending == nil {
		return nil
	}
	b, err := json.Marshal(checkpointFile{Commit: c.pending.Commit, Prepare: c.pending.Prepare})
	if err != nil {
		return err
	}
	tmp := c.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("eventbus: write checkpoint: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("eventbus: write checkpoint: %w", err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("eventbus: write checkpoint: %w", err)
	}
	if err := os.Rename(tmp, c.path); err != nil {
		return fmt.Errorf("eventbus: write checkpoint: %w", err)
	}
	c.pending, c.lastWrite = nil, c.now()
	return nil
}
