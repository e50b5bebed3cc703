package command_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
)

func TestTokens(t *testing.T) {
	if _, err := command.NewHMACTokens(make([]byte, 31)); !errors.Is(err, command.ErrWeakKey) {
		t.Fatalf("31-byte key: %v", err)
	}
	a, _ := command.NewHMACTokens(bytes.Repeat([]byte{1}, 32))
	b, _ := command.NewHMACTokens(bytes.Repeat([]byte{2}, 32))
	id := uuid.New()
	tok := a.Token("visit", id)
	if len(tok) < 22 { // 128 bits in base64 is 22 characters
		t.Fatalf("token %q shorter than 128 bits", tok)
	}
	if tok != a.Token("visit", id) {
		t.Fatal("token not stable for the same subject")
	}
	for name, other := range map[string]string{
		"other key": b.Token("visit", id), "other purpose": a.Token("case", id), "other subject": a.Token("visit", uuid.New()),
	} {
		if other == tok {
			t.Errorf("%s gives the same token", name)
		}
	}
	if err := command.CheckToken(tok, tok); err != nil {
		t.Fatal(err)
	}
	if err := command.CheckToken("", ""); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("empty token accepted: %v", err)
	}
	if command.TokenHash(tok) == tok || len(command.TokenHash(tok)) != 64 {
		t.Fatal("token hash is not a sha-256 hex")
	}
}

func TestContextMetadataAndRoles(t *testing.T) {
	clerk := domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))
	c := command.Context{Actor: clerk}
	fixed := uuid.New()
	m := c.Metadata(testTime, func() uuid.UUID { return fixed })
	if m.CorrelationID != fixed || m.CausationID != fixed || m.Actor != clerk {
		t.Fatalf("metadata %+v", m)
	}
	if _, err := command.ClerkOf(c); err != nil {
		t.Fatal(err)
	}
	citizen, _ := domain.NewActor(domain.RoleCitizen, "v1")
	if _, err := command.ClerkOf(command.Context{Actor: citizen}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("citizen acting as clerk: %v", err)
	}
	if err := (command.Context{}).Validate(); !errors.Is(err, command.ErrNoActor) {
		t.Fatalf("no actor: %v", err)
	}
}
