package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// probeSize is what the write probe writes: more than a typical group.
const probeSize = 64 << 10

// Healthy reports whether writes work: nil unless the last commit failed
// (disk full, I/O error), then that error, wrapping ErrWriteFailed. It turns
// nil again with the next commit that succeeds, or when a write probe
// succeeds: while failing, each call writes probeSize bytes to a scratch
// file in the store directory, syncs and removes it, so a node that gets
// no writes (a load balancer took it out) still turns healthy once there
// is room. The log itself was already cut back to a consistent state when
// the commit failed (failCommit). An engine that could not undo a failed
// write stays unhealthy.
func (e *Engine) Healthy() error {
	p := e.writeErr.Load()
	if p == nil {
		return nil
	}
	if !e.probeMu.TryLock() {
		return *p
	}
	defer e.probeMu.Unlock()
	e.mu.Lock()
	broken, closed := e.broken, e.closed
	e.mu.Unlock()
	if broken != nil || closed {
		return *p
	}
	if err := e.probeWrite(); err != nil {
		return *p
	}
	if e.writeErr.CompareAndSwap(p, nil) {
		e.opts.Logger.Info("event store: writes work again (probe)")
		return nil
	}
	if q := e.writeErr.Load(); q != nil {
		return *q // a newer failure
	}
	return nil
}

// probeWrite writes, syncs and removes a scratch file through the same
// write path as the log.
func (e *Engine) probeWrite() error {
	path := filepath.Join(e.dir, "PROBE")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("engine: probe: %w", err)
	}
	_, err = e.writeAt(f, make([]byte, probeSize), 0)
	if err == nil {
		err = datasync(f)
	}
	return errors.Join(err, f.Close(), os.Remove(path))
}
