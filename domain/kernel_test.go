package domain_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
)

func TestErrorCategories(t *testing.T) {
	errFull := domain.Conflict("slot_full", "no place left")
	wrapped := fmt.Errorf("booking: %w", domain.Wrapf(errFull, "slot %s", "09:00"))
	if !errors.Is(wrapped, errFull) || !errors.Is(wrapped, domain.ErrConflict) {
		t.Error("wrapped error must match its value and its category")
	}
	if errors.Is(wrapped, domain.ErrInvalid) || errors.Is(wrapped, domain.Conflict("other", "")) {
		t.Error("must not match other categories or codes")
	}
	var de *domain.Error
	if !errors.As(wrapped, &de) || de.Code() != "slot_full" || de.Category() != domain.CategoryConflict {
		t.Errorf("As = %v", de)
	}
	if domain.CategoryOf(wrapped) != domain.CategoryConflict || !domain.CategoryOf(errors.New("x")).IsZero() {
		t.Error("CategoryOf")
	}
}

func TestTypedIDs(t *testing.T) {
	u := uuid.MustParse("8f1d0b3c-1f7e-4c57-9d43-2f3c1c0a9b11")
	id := domain.IDFrom[domain.VisitID](u)
	if id.String() != u.String() || id.UUID() != u || id.IsZero() {
		t.Error("IDFrom")
	}
	parsed, err := domain.ParseID[domain.VisitID](u.String())
	if err != nil || parsed != id {
		t.Errorf("ParseID = %v %v", parsed, err)
	}
	for _, bad := range []string{"", "nope", uuid.Nil.String()} {
		if _, err := domain.ParseID[domain.OfficeID](bad); !errors.Is(err, domain.ErrInvalidID) {
			t.Errorf("ParseID(%q) = %v", bad, err)
		}
	}
	b, _ := json.Marshal(struct {
		ID domain.VisitID `json:"id"`
	}{id})
	if string(b) != `{"id":"`+u.String()+`"}` {
		t.Errorf("json = %s", b)
	}
}

func TestActor(t *testing.T) {
	if _, err := domain.NewActor(domain.Role{}, "x"); !errors.Is(err, domain.ErrInvalidActor) {
		t.Error("role required")
	}
	a, err := domain.NewActor(domain.RoleAuditor, "a1")
	if err != nil || a.Role() != domain.RoleAuditor || a.ID() != "a1" || a.String() != "auditor:a1" {
		t.Errorf("actor = %v %v", a, err)
	}
	if r, err := domain.ParseRole("clerk"); err != nil || r != domain.RoleClerk {
		t.Errorf("ParseRole = %v %v", r, err)
	}
}

func TestCleanText(t *testing.T) {
	for _, c := range []struct {
		in        string
		multiline bool
		ok        bool
	}{
		{" Frau K. ", false, true}, {"", false, false}, {"a\nb", false, false}, {"a\nb", true, true},
		{"a\x00b", true, false}, {"12345678901", false, false}, {"\xff", false, false},
	} {
		_, err := domain.CleanText("f", c.in, 1, 10, c.multiline)
		if (err == nil) != c.ok {
			t.Errorf("CleanText(%q) err = %v", c.in, err)
		}
	}
}
