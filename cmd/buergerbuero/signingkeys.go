package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// The signing keys live beside the capability key, never in the event store:
//
//	<data>/secrets/signing.key      current Ed25519 private key (base64 seed), owner-only
//	<data>/secrets/signing.old.pub  public keys of rotated-out keys, one base64 line each
//	<data>/secrets/signing.pub      every trusted public key (current first): give it to auditors
func signingKeyFile(data string) string { return filepath.Join(data, "secrets", "signing.key") }
func oldPublicKeysFile(data string) string {
	return filepath.Join(data, "secrets", "signing.old.pub")
}
func publicKeysFile(data string) string { return filepath.Join(data, "secrets", "signing.pub") }

// loadSigningKeys reads the keyring: the current key and the old public
// keys. A missing key file is created only for a new data directory or with
// --create-missing-keys.
func loadSigningKeys(cfg serveConfig) (*eventlog.Keyring, error) {
	file := signingKeyFile(cfg.data)
	raw, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist) && cfg.createMissingKeys:
		if err := createSigningKey(file); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("signing key %s: %w", file, err)
		}
		return loadSigningKeys(cfg)
	case errors.Is(err, fs.ErrNotExist):
		return nil, missingKey("signing key", file)
	case err != nil:
		return nil, fmt.Errorf("signing key: %w", err)
	}
	priv, err := parsePrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", file, err)
	}
	old, err := readPublicKeys(oldPublicKeysFile(cfg.data), true)
	if err != nil {
		return nil, err
	}
	k, err := eventlog.NewKeyring(priv, old...)
	if err != nil {
		return nil, err
	}
	return k, writePublicKeys(cfg.data, k)
}

func createSigningKey(file string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	return writeSecretOnce(file, []byte(eventlog.EncodeKey(priv.Seed())+"\n"))
}

func parsePrivateKey(raw []byte) (ed25519.PrivateKey, error) {
	seed, err := eventlog.DecodeKey(strings.TrimSpace(string(raw)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("not a base64 Ed25519 seed of 32 bytes")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// readPublicKeys reads one base64 Ed25519 public key per line (blank lines
// and lines starting with # are skipped).
func readPublicKeys(file string, optional bool) ([]ed25519.PublicKey, error) {
	raw, err := os.ReadFile(file)
	if optional && errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("public keys: %w", err)
	}
	var keys []ed25519.PublicKey
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := eventlog.DecodeKey(strings.Fields(line)[0])
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("public keys %s line %d: not a base64 Ed25519 public key", file, n)
		}
		keys = append(keys, k)
	}
	return keys, sc.Err()
}

// writePublicKeys refreshes signing.pub, the file auditors verify exports
// with.
func writePublicKeys(data string, k *eventlog.Keyring) error {
	var b strings.Builder
	b.WriteString("# Bürgerbüro signing keys (public): buergerbuero verify EXPORT --public-key this-file\n")
	pub := k.Public()
	fmt.Fprintf(&b, "%s %s current\n", eventlog.EncodeKey(pub[k.KeyID()]), k.KeyID())
	for _, id := range pub.IDs() {
		if id != k.KeyID() {
			fmt.Fprintf(&b, "%s %s\n", eventlog.EncodeKey(pub[id]), id)
		}
	}
	file := publicKeysFile(data)
	if old, err := os.ReadFile(file); err == nil && string(old) == b.String() {
		return nil
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("public keys: %w", err)
	}
	return os.Rename(tmp, file)
}

// rotateSigningKey makes a new current key; the old one's public key joins
// signing.old.pub so history signed with it keeps verifying. Run it while
// serve is stopped; the next start signs with the new key.
func rotateSigningKey(data string) (oldID, newID string, err error) {
	file := signingKeyFile(data)
	raw, err := os.ReadFile(file)
	if err != nil {
		return "", "", fmt.Errorf("signing key: %w", err)
	}
	priv, err := parsePrivateKey(raw)
	if err != nil {
		return "", "", fmt.Errorf("signing key %s: %w", file, err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	f, err := os.OpenFile(oldPublicKeysFile(data), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return "", "", err
	}
	_, werr := fmt.Fprintf(f, "%s %s\n", eventlog.EncodeKey(pub), eventlog.KeyID(pub))
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return "", "", fmt.Errorf("old public keys: %w", err)
	}
	_, next, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmp := file + ".new"
	if err := os.WriteFile(tmp, []byte(eventlog.EncodeKey(next.Seed())+"\n"), 0o600); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp, file); err != nil {
		return "", "", err
	}
	k, err := loadSigningKeys(serveConfig{data: data})
	if err != nil {
		return "", "", err
	}
	return eventlog.KeyID(pub), k.KeyID(), nil
}
