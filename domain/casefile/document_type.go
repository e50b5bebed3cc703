package casefile

import "bytes"

// DocumentType is a kind of file a case accepts. The zero value is no
// accepted type.
type DocumentType struct{ s string }

// The accepted document types: what a city hall asks citizens for
// (scans and photos of papers). Anything that can carry script or markup
// (HTML, SVG, XML, office macros) is refused whatever it claims to be.
var (
	DocumentPDF  = DocumentType{"application/pdf"}
	DocumentPNG  = DocumentType{"image/png"}
	DocumentJPEG = DocumentType{"image/jpeg"}
)

// MediaType is the IANA media type of t.
func (t DocumentType) MediaType() string { return t.s }

// IsZero reports whether t is no accepted type.
func (t DocumentType) IsZero() bool { return t == DocumentType{} }

var signatures = []struct {
	magic []byte
	t     DocumentType
}{
	{[]byte("%PDF-"), DocumentPDF},
	{[]byte("\x89PNG\r\n\x1a\n"), DocumentPNG},
	{[]byte("\xff\xd8\xff"), DocumentJPEG},
}

// SniffDocumentType tells the type of a document from its first bytes
// (its magic number), never from a name or a declared type: a file is
// what its content is. Content of no accepted type is
// ErrDocumentTypeNotAllowed.
func SniffDocumentType(head []byte) (DocumentType, error) {
	for _, s := range signatures {
		if bytes.HasPrefix(head, s.magic) {
			return s.t, nil
		}
	}
	return DocumentType{}, ErrDocumentTypeNotAllowed
}
