package cases

import (
	"context"
	"io"

	"github.com/buergerbuero/buergerbuero/domain"
)

// BlobStore keeps document bytes outside the event store. Keys are
// slash-separated paths of [a-z0-9-] segments, chosen by this package.
type BlobStore interface {
	// Put stores the bytes read from r under key, replacing nothing that is
	// already there with different content, and returns their size and
	// lower-case hex SHA-256.
	Put(ctx context.Context, key string, r io.Reader) (size int64, sha256 string, err error)
	// Get opens the bytes stored under key; a missing key is an error
	// matching ErrDocumentNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
}

// ErrDocumentNotFound is returned for documents that were never stored.
var ErrDocumentNotFound = domain.NotFound("document_not_found", "document not found")

// DocumentKey is the content address of a case document:
// "cases/<case uuid>/<sha256>". The same file sent twice is stored once.
func DocumentKey(id domain.CaseID, sha256 string) string {
	return "cases/" + id.String() + "/" + sha256
}
