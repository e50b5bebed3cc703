//go:build linux

package engine

import (
	"fmt"
	"os"
	"syscall"
)

// datasync flushes f's data (and the metadata needed to read it) to disk.
func datasync(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err == syscall.EINTR {
			continue
		}
		return err
	}
}

// lockDir takes an exclusive advisory lock on dir/LOCK so that two engines
// never write one store.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("engine: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("engine: store %s is in use: %w", path, err)
	}
	return f, nil
}
