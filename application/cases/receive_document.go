package cases

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// ReceiveDocument stores a document a citizen (with the case token) or a
// clerk sends, optionally answering an open request.
type ReceiveDocument struct {
	CaseID domain.CaseID
	// ClientRequest is the client's ID of this request (optional): the
	// command retried with the same one is applied once.
	ClientRequest domain.RequestID
	Token         string // the case token, required for citizens
	RequestID     domain.DocumentRequestID
	FileName      string
	Content       io.Reader
}

// ReceivedDocument says where the document went.
type ReceivedDocument struct {
	Key       string
	SizeBytes int64
	SHA256    string
}

// ErrDocumentTooLarge is returned for documents over casefile.MaxDocumentSize.
var ErrDocumentTooLarge = domain.Invalid("document_too_large", "the document is too large")

// ReceiveDocumentHandler handles ReceiveDocument.
type ReceiveDocumentHandler struct{ d deps }

// NewReceiveDocumentHandler refuses missing dependencies, the blob store
// included.
func NewReceiveDocumentHandler(d Deps) (ReceiveDocumentHandler, error) {
	if d.Blobs == nil {
		return ReceiveDocumentHandler{}, errors.New("cases: a blob store is required")
	}
	dd, err := newDeps(d)
	return ReceiveDocumentHandler{d: dd}, err
}

// Handle reads the content (at most casefile.MaxDocumentSize bytes), checks
// it is of an accepted type by its content and the case accepts it, stores it under its content address and records it.
// The bytes are stored before the event: a document in the store without an
// event is harmless (an orphan), an event without its bytes would not be.
func (h ReceiveDocumentHandler) Handle(ctx context.Context, c command.Context, cmd ReceiveDocument) (ReceivedDocument, error) {
	if err := h.d.authorizeCitizenOrClerk(c, cmd.CaseID, cmd.Token); err != nil {
		return ReceivedDocument{}, err
	}
	if c.Actor.Role() == domain.RoleCitizen {
		c.Actor = CitizenActor(cmd.CaseID)
	}
	if cmd.Content == nil {
		return ReceivedDocument{}, domain.Wrapf(casefile.ErrInvalidCase, "content is required")
	}
	// Buffer to learn the hash (the key) before storing; bounded by the
	// domain's maximum size.
	data, err := io.ReadAll(io.LimitReader(cmd.Content, casefile.MaxDocumentSize+1))
	if err != nil {
		return ReceivedDocument{}, fmt.Errorf("cases: read document: %w", err)
	}
	if len(data) > casefile.MaxDocumentSize {
		return ReceivedDocument{}, ErrDocumentTooLarge
	}
	if _, err := casefile.SniffDocumentType(data); err != nil {
		return ReceivedDocument{}, err // the content decides, not the name or declared type
	}
	sum := sha256.Sum256(data)
	doc := casefile.ReceivedDocument{RequestID: cmd.RequestID, FileName: cmd.FileName, SizeBytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	// Validate against the current case before touching the blob store; a
	// retried request that was stored answers as the first one did.
	l, err := h.d.cases.Load(ctx, casefile.StreamName(cmd.CaseID))
	if err != nil {
		return ReceivedDocument{}, err
	}
	write := h.d.requestWrite(c, "receive-document", cmd.CaseID, cmd.ClientRequest)
	if write.AppliedIn(l.Events) {
		return ReceivedDocument{Key: DocumentKey(cmd.CaseID, doc.SHA256), SizeBytes: doc.SizeBytes, SHA256: doc.SHA256}, nil
	}
	if err := l.Aggregate.ReceiveDocument(doc, h.d.Env.Clock.Now()); err != nil {
		return ReceivedDocument{}, err
	}
	key := DocumentKey(cmd.CaseID, doc.SHA256)
	size, digest, err := h.d.Blobs.Put(ctx, key, bytes.NewReader(data))
	if err != nil {
		return ReceivedDocument{}, fmt.Errorf("cases: store document: %w", err)
	}
	if size != doc.SizeBytes || digest != doc.SHA256 {
		return ReceivedDocument{}, fmt.Errorf("cases: blob store returned %d bytes %s, want %d %s", size, digest, doc.SizeBytes, doc.SHA256)
	}
	_, _, err = h.d.updateAs(ctx, c, cmd.CaseID, write, func(cs *casefile.Case, now time.Time) error {
		return cs.ReceiveDocument(doc, now)
	})
	if err != nil {
		return ReceivedDocument{}, err
	}
	return ReceivedDocument{Key: key, SizeBytes: size, SHA256: digest}, nil
}
