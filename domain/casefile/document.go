package casefile

import (
	"regexp"
	"slices"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// MaxDocumentSize is the largest accepted document (50 MiB).
const MaxDocumentSize = 50 << 20

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// RequestDocument asks the citizen for a document (what, due date). The due
// date must not lie before the Berlin date of at.
func (c *Case) RequestDocument(id domain.DocumentRequestID, what string, due hours.Date, at time.Time) error {
	if err := domain.RequireID("document request id", id); err != nil {
		return err
	}
	what, err := domain.CleanText("document", what, 1, 200, false)
	if err != nil {
		return err
	}
	if due.IsZero() || due.Before(hours.BerlinDate(at)) {
		return domain.Wrapf(ErrInvalidCase, "due date must be today or later")
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	if slices.Contains(c.openDocs, id) {
		return nil
	}
	c.record(CaseDocumentRequested{CaseID: c.id, RequestID: id, What: what, DueDate: due, RequestedAt: at})
	return nil
}

// ReceivedDocument describes an arrived file.
type ReceivedDocument struct {
	// RequestID answers an open request; zero for an unrequested document.
	RequestID domain.DocumentRequestID
	FileName  string
	SizeBytes int64
	// SHA256 is the lower-case hex digest of the content.
	SHA256 string
}

// ReceiveDocument records an arrived document.
func (c *Case) ReceiveDocument(d ReceivedDocument, at time.Time) error {
	name, err := domain.CleanText("file name", d.FileName, 1, 255, false)
	if err != nil {
		return err
	}
	if d.SizeBytes <= 0 || d.SizeBytes > MaxDocumentSize {
		return domain.Wrapf(ErrInvalidCase, "size %d must be 1..%d bytes", d.SizeBytes, MaxDocumentSize)
	}
	if !sha256Pattern.MatchString(d.SHA256) {
		return domain.Wrapf(ErrInvalidCase, "sha256 must be 64 lower-case hex digits")
	}
	if err := c.requireOpen(); err != nil {
		return err
	}
	if !d.RequestID.IsZero() && !slices.Contains(c.openDocs, d.RequestID) {
		return ErrUnknownDocumentRequest
	}
	c.record(CaseDocumentReceived{CaseID: c.id, RequestID: d.RequestID, FileName: name,
		SizeBytes: d.SizeBytes, SHA256: d.SHA256, ReceivedAt: at})
	return nil
}
