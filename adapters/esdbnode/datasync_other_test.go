//go:build !linux

package esdbnode_test

import "os"

func datasync(f *os.File) error { return f.Sync() }
