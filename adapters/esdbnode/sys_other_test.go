//go:build !linux

package esdbnode_test

import (
	"os"
	"time"
)

func datasync(f *os.File) error { return f.Sync() }

// processCPU is not measured on this platform.
func processCPU() time.Duration { return 0 }
