package casefile_test

import (
	"errors"
	"testing"

	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

func TestSniffDocumentType(t *testing.T) {
	cases := []struct {
		name string
		head string
		want casefile.DocumentType
	}{
		{"pdf", "%PDF-1.7\n%\xe2\xe3", casefile.DocumentPDF},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", casefile.DocumentPNG},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", casefile.DocumentJPEG},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, casefile.DocumentType{}},
		{"html", "<!DOCTYPE html><html>", casefile.DocumentType{}},
		{"html after a pdf-looking name", " %PDF-1.7", casefile.DocumentType{}},
		{"zip (office file)", "PK\x03\x04", casefile.DocumentType{}},
		{"truncated png magic", "\x89PNG", casefile.DocumentType{}},
		{"empty", "", casefile.DocumentType{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := casefile.SniffDocumentType([]byte(c.head))
			if got != c.want {
				t.Errorf("type %q, want %q", got.MediaType(), c.want.MediaType())
			}
			if c.want.IsZero() != errors.Is(err, casefile.ErrDocumentTypeNotAllowed) {
				t.Errorf("error %v for %q", err, c.name)
			}
		})
	}
}
