package eventstore_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

func keyring(tb testing.TB) *eventlog.Keyring {
	tb.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	k, err := eventlog.NewKeyring(priv)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func registry(tb testing.TB) *eventstore.Registry {
	tb.Helper()
	r, err := eventstore.NewRegistry(thingHappened{})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func thing(i int) eventlog.NewEvent {
	return newEvent(thingHappened{N: i, Note: "Schritt"}, "")
}

// The signature written with the metadata survives the node byte for byte
// and verifies after a load, with every event linked.
func TestSignedChainSurvivesTheNode(t *testing.T) {
	node := esdbnodetest.Start(t)
	k := keyring(t)
	store, err := eventstore.New(node.Client, registry(t), eventstore.WithSigner(k))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const stream = "case-signed"
	if _, err := store.Append(ctx, stream, eventlog.ExpectNoStream().ChainedFrom(""), thing(0), thing(1)); err != nil {
		t.Fatal(err)
	}
	evs, err := store.Load(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, stream, eventlog.ExpectRevision(1).ChainedFrom(eventlog.Hash(evs[1])), thing(2)); err != nil {
		t.Fatal(err)
	}
	evs, _ = store.Load(ctx, stream)
	v := audit.VerifyEvidence(audit.Evidence{Stream: stream, Events: evs, Keys: k.Public()})
	if !v.Intact || len(v.Checks) != 3 || !v.Checks[2].Signed || v.Checks[2].KeyID != k.KeyID() {
		t.Fatalf("verification %+v", v)
	}
	if evs[2].Meta.PrevHash != eventlog.Hash(evs[1]) || evs[2].Meta.Actor != thing(0).Meta.Actor {
		t.Fatal("metadata does not decode beside the signature")
	}
}

// BenchmarkAppendChained measures one chained single-event append (a case
// step) to the embedded node, with and without signing:
//
//	go test -run '^$' -bench AppendChained -benchtime 2000x -count 5 ./adapters/eventstore/
func BenchmarkAppendChained(b *testing.B) {
	for _, signed := range []bool{false, true} {
		b.Run(map[bool]string{false: "unsigned", true: "signed"}[signed], func(b *testing.B) {
			node := esdbnodetest.Start(b)
			var opts []eventstore.Option
			if signed {
				opts = append(opts, eventstore.WithSigner(keyring(b)))
			}
			store, err := eventstore.New(node.Client, registry(b), opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			const stream = "case-bench"
			expected, i := eventlog.ExpectNoStream().ChainedFrom(""), 0
			b.ResetTimer()
			for b.Loop() {
				e := thing(i)
				res, err := store.Append(ctx, stream, expected, e)
				if err != nil {
					b.Fatal(err)
				}
				// The head a repository would know after its own write.
				expected = eventlog.ExpectRevision(res.NextRevision).ChainedFrom(fmt.Sprint(i))
				i++
			}
		})
	}
}

// BenchmarkSeal is the signing cost alone, without I/O.
func BenchmarkSeal(b *testing.B) {
	k := keyring(b)
	e := eventlog.RecordedEvent{ID: uuid.New(), Type: "CaseNoteAdded", Data: []byte(`{"text":"Schritt 1","visibility":"internal"}`),
		RawMetadata: []byte(`{"$correlationId":"8c4b1f9e-0000-4000-8000-000000000000","actorRole":"clerk","actorId":"x","prevHash":"ab"}`)}
	for b.Loop() {
		if _, _, err := eventlog.Seal("case-1", e, k); err != nil {
			b.Fatal(err)
		}
	}
}
