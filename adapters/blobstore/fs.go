package blobstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/buergerbuero/buergerbuero/application/cases"
)

// FS stores blobs below one directory.
type FS struct {
	root *os.Root
}

var _ cases.BlobStore = (*FS)(nil)

// ErrInvalidKey is returned for keys that are not a safe relative path.
var ErrInvalidKey = errors.New("blobstore: invalid key")

// ErrExists is returned when a key already holds different content.
var ErrExists = errors.New("blobstore: key exists with other content")

// MaxKeyLength bounds keys.
const MaxKeyLength = 512

// Open opens (and creates) the directory dir.
func Open(dir string) (*FS, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	return &FS{root: root}, nil
}

// Close releases the directory.
func (s *FS) Close() error { return s.root.Close() }

// ValidateKey accepts slash-separated segments of [a-z0-9-], 1..64 bytes
// each, not starting with a hyphen.
func ValidateKey(key string) error {
	if key == "" || len(key) > MaxKeyLength {
		return fmt.Errorf("%w: length", ErrInvalidKey)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || len(seg) > 64 || seg[0] == '-' {
			return fmt.Errorf("%w: segment %q", ErrInvalidKey, seg)
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("%w: character %q", ErrInvalidKey, c)
			}
		}
	}
	return nil
}

// Put writes r under key. A key that exists with the same bytes is left as
// it is; with other bytes it is ErrExists.
func (s *FS) Put(ctx context.Context, key string, r io.Reader) (int64, string, error) {
	if err := ValidateKey(key); err != nil {
		return 0, "", err
	}
	dir := path.Dir(key)
	if err := s.root.MkdirAll(dir, 0o750); err != nil {
		return 0, "", fmt.Errorf("blobstore: %w", err)
	}
	tmp := path.Join(dir, ".tmp-"+rand.Text())
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, "", fmt.Errorf("blobstore: %w", err)
	}
	defer s.root.Remove(tmp) //nolint:errcheck // gone after the link; best effort otherwise
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, "", fmt.Errorf("blobstore: write %s: %w", key, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := s.root.Link(tmp, key); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return 0, "", fmt.Errorf("blobstore: %w", err)
		}
		size, existing, herr := s.hash(key)
		if herr != nil {
			return 0, "", herr
		}
		if existing != sum || size != n {
			return 0, "", fmt.Errorf("%w: %s", ErrExists, key)
		}
	}
	return n, sum, nil
}

func (s *FS) hash(key string) (int64, string, error) {
	f, err := s.root.Open(key)
	if err != nil {
		return 0, "", fmt.Errorf("blobstore: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("blobstore: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Get opens the blob under key; a missing key matches cases.ErrDocumentNotFound.
func (s *FS) Get(_ context.Context, key string) (io.ReadCloser, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	f, err := s.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", cases.ErrDocumentNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	return f, nil
}

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
