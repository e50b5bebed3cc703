package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// minTokenKeyLen is the least secret the capability tokens accept.
const minTokenKeyLen = 32

// loadOrCreateTokenKey reads the capability-token secret, creating a random
// one (readable by the owner only) on first start. Losing it invalidates
// every citizen link; sharing it lets several instances check each other's
// tokens.
func loadOrCreateTokenKey(cfg serveConfig) ([]byte, error) {
	key, err := os.ReadFile(cfg.tokenKeyFile)
	switch {
	case err == nil:
		if len(key) < minTokenKeyLen {
			return nil, fmt.Errorf("token key %s: %d bytes, need at least %d", cfg.tokenKeyFile, len(key), minTokenKeyLen)
		}
		return key, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("token key: %w", err)
	}
	key = make([]byte, minTokenKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(cfg.tokenKeyFile), 0o700); err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	// Write a temporary file, then link it into place: the key appears whole
	// or not at all, and a concurrent first start keeps the other's key.
	tmp, err := os.CreateTemp(filepath.Dir(cfg.tokenKeyFile), ".capability-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("token key: %w", err)
	}
	if err := errors.Join(tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
		return nil, fmt.Errorf("token key: %w", err)
	}
	if err := os.Link(tmp.Name(), cfg.tokenKeyFile); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateTokenKey(cfg)
		}
		return nil, fmt.Errorf("token key: %w", err)
	}
	return key, nil
}
