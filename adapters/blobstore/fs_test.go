package blobstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/blobstore"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/domain"
)

func open(t *testing.T) (*blobstore.FS, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := blobstore.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

func TestPutGetRoundTrip(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	size, sum, err := s.Put(ctx, "cases/abc-1/doc", strings.NewReader("hallo"))
	want := sha256.Sum256([]byte("hallo"))
	if err != nil || size != 5 || sum != hex.EncodeToString(want[:]) {
		t.Fatalf("put: %d %s %v", size, sum, err)
	}
	rc, err := s.Get(ctx, "cases/abc-1/doc")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "hallo" {
		t.Fatalf("got %q", b)
	}
	if _, _, err := s.Put(ctx, "cases/abc-1/doc", strings.NewReader("hallo")); err != nil {
		t.Fatalf("same content again: %v", err)
	}
	if _, _, err := s.Put(ctx, "cases/abc-1/doc", strings.NewReader("anders")); !errors.Is(err, blobstore.ErrExists) {
		t.Fatalf("other content under the same key: %v", err)
	}
	if _, err := s.Get(ctx, "cases/abc-1/missing"); !errors.Is(err, cases.ErrDocumentNotFound) || !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
}

func TestKeysCannotEscape(t *testing.T) {
	s, dir := open(t)
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{
		"", "../secret", "cases/../../secret", "/etc/passwd", "cases//x", "cases/./x", ".hidden",
		"Cases/x", `cases\..\secret`, "cases/x\x00", "-flag", strings.Repeat("a", 65), "cases/ä",
	} {
		if _, _, err := s.Put(context.Background(), key, strings.NewReader("evil")); !errors.Is(err, blobstore.ErrInvalidKey) {
			t.Errorf("put %q: %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Get(context.Background(), key); !errors.Is(err, blobstore.ErrInvalidKey) {
			t.Errorf("get %q: %v, want ErrInvalidKey", key, err)
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "x" {
		t.Fatal("the file outside the root changed")
	}
}

func TestDocumentKeysAreValid(t *testing.T) {
	key := cases.DocumentKey(domain.IDFrom[domain.CaseID]([16]byte{1}), strings.Repeat("ab", 32))
	if err := blobstore.ValidateKey(key); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
}
