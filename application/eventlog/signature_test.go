package eventlog_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

func TestSealSignsTheChainedHash(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	k, err := eventlog.NewKeyring(priv)
	if err != nil {
		t.Fatal(err)
	}
	e := eventlog.RecordedEvent{ID: uuid.New(), Type: "CaseNoteAdded", Data: []byte(`{}`), RawMetadata: []byte(`{"prevHash":"ab"}`)}
	unsigned := eventlog.Hash(e)
	raw, hash, err := eventlog.Seal("case-1", e, k)
	if err != nil || hash != unsigned {
		t.Fatalf("seal: %v, hash %s want %s", err, hash, unsigned)
	}
	e.RawMetadata = raw
	if eventlog.Hash(e) != unsigned {
		t.Fatal("the signature changed the chained hash")
	}
	body, sig, ok := eventlog.SplitSignature(raw)
	if !ok || string(body) != `{"prevHash":"ab"}` || sig.KeyID != k.KeyID() {
		t.Fatalf("split %s %+v %v", body, sig, ok)
	}
	if err := k.Public().Verify(eventlog.SignedMessage("case-1", hash), sig); err != nil {
		t.Fatal(err)
	}
	if err := k.Public().Verify(eventlog.SignedMessage("case-2", hash), sig); err == nil {
		t.Fatal("a signature verified for another stream")
	}
	if prev, err := eventlog.PrevHashOf(raw); err != nil || prev != "ab" {
		t.Fatalf("prev %q %v", prev, err)
	}
}

func TestTreeProvesEveryHead(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 16} {
		var heads []eventlog.Head
		for i := range n {
			heads = append(heads, eventlog.Head{Stream: fmt.Sprintf("case-%02d", i), Revision: uint64(i), Hash: "h"})
		}
		tree, err := eventlog.NewTree(heads)
		if err != nil {
			t.Fatal(err)
		}
		root, _ := tree.Root()
		th := eventlog.TreeHead{Seq: 1, Size: tree.Size(), Root: root}
		for _, h := range heads {
			in, ok, err := tree.Prove(h.Stream)
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			if err := in.Check(th); err != nil {
				t.Fatalf("n=%d %s: %v", n, h.Stream, err)
			}
			in.Head.Revision++
			if in.Check(th) == nil {
				t.Fatalf("n=%d: a changed head passed", n)
			}
		}
	}
}
