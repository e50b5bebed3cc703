package esdbnode_test

import (
	"os"
	"syscall"
	"time"
)

func datasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }

// processCPU is the user plus system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
