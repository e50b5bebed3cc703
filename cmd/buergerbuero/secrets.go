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

// loadOrCreateTokenKey reads the capability-token secret. It is created
// (random, readable by the owner only) only for a new data directory or
// with --create-missing-keys: for an existing installation a missing key
// would silently invalidate every citizen link, so it is an error naming the
// file. Sharing it lets several instances check each other's tokens.
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
	case !cfg.createMissingKeys:
		return nil, missingKey("capability key", cfg.tokenKeyFile)
	}
	key = make([]byte, minTokenKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := writeSecretOnce(cfg.tokenKeyFile, key); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateTokenKey(cfg)
		}
		return nil, fmt.Errorf("token key: %w", err)
	}
	return key, nil
}

// missingKey is the one-line error for a key file an existing data
// directory lacks.
func missingKey(what, file string) error {
	return fmt.Errorf("%s %s is missing but the data directory holds data: restore the file from your backup (or start with --create-missing-keys to create a new one, see the README)", what, file)
}

// isNewDataDir reports whether data holds no events and no checkpoints yet:
// only then are missing key files created without being asked.
func isNewDataDir(data string) bool {
	for _, dir := range []string{eventsDir(data), filepath.Join(data, "checkpoints")} {
		entries, err := os.ReadDir(dir)
		if err == nil && len(entries) > 0 {
			return false
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false
		}
	}
	return true
}

// writeSecretOnce writes a new secret file (owner-only) whole or not at
// all: a temporary file linked into place, so a concurrent first start
// keeps the other's file (fs.ErrExist).
func writeSecretOnce(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}
