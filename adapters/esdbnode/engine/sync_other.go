//go:build !linux

package engine

import (
	"fmt"
	"os"
)

func datasync(f *os.File) error { return f.Sync() }

// lockDir opens dir/LOCK; without flock the store is not protected against
// a second engine on these platforms.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("engine: open lock file: %w", err)
	}
	return f, nil
}
