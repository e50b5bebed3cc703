package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/system"
	"github.com/buergerbuero/buergerbuero/adapters/system/systemtest"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// tamperRig is the product's write and audit side on a real embedded node,
// with the signing key and checkpoint writer as serve wires them, plus an
// attacker's own official client to the same node.
type tamperRig struct {
	data     string
	node     *esdbnodetest.Node
	attacker *esdb.Client
	app      *application.Application
	cases    cases.Deps
	writer   *audit.CheckpointWriter
	clerk    command.Context
}

func newTamperRig(t *testing.T) *tamperRig {
	t.Helper()
	r := &tamperRig{data: t.TempDir(), node: esdbnodetest.Start(t)}
	cfg := serveConfig{data: r.data, createMissingKeys: true, checkpointInterval: time.Hour}
	keyring, err := loadSigningKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sys, cleanup, err := system.New(context.Background(), system.Config{
		DataDir: r.data, TokenKey: bytes.Repeat([]byte{3}, 32), Signing: keyring, CheckpointInterval: time.Hour,
		Hashing: systemtest.FastHashing, Media: systemtest.Loopback,
	}, r.node.Client)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cleanup() })
	r.app, r.writer = sys.App, sys.Checkpoints
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{3}, 32))
	r.cases = cases.Deps{Env: command.Env{Store: sys.Store, Clock: command.SystemClock{}, IDs: command.CryptoIDs{}}, Tokens: tokens}
	r.clerk = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	if r.attacker, err = esdbnodetest.Connect(r.node.ConnectionString()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.attacker.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() { defer close(done); _ = sys.Run(ctx) }() // the checkpoint writer restores and follows $all
	return r
}

// closedCase writes a case with notes and closes it, as clerks do.
func (r *tamperRig) closedCase(t *testing.T, notes, n int) domain.CaseID {
	t.Helper()
	ctx := context.Background()
	id := domain.IDFrom[domain.CaseID](uuid.New())
	ref, _ := casefile.NewReference("DO", 2026, n)
	open, _ := cases.NewOpenCaseHandler(r.cases)
	if _, err := open.Handle(ctx, r.clerk, cases.OpenCase{CaseID: id, Reference: ref, OfficeID: domain.IDFrom[domain.OfficeID](uuid.New()),
		ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), ClerkID: domain.IDFrom[domain.ClerkID](uuid.New())}, nil); err != nil {
		t.Fatal(err)
	}
	for i := range notes {
		if _, err := r.app.Commands.AddNote.Handle(ctx, r.clerk, cases.AddNote{CaseID: id, Text: fmt.Sprintf("Schritt %d", i), Visibility: casefile.Internal}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.app.Commands.CloseCase.Handle(ctx, r.clerk, cases.CloseCase{CaseID: id, Outcome: casefile.OutcomeCompleted}); err != nil {
		t.Fatal(err)
	}
	return id
}

// checkpointed writes checkpoints until the latest covers the case at rev.
func (r *tamperRig) checkpointed(t *testing.T, id domain.CaseID, rev uint64) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := r.writer.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if _, in, err := r.writer.Latest(ctx, casefile.StreamName(id)); err == nil && in != nil && in.Head.Revision == rev {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint covers the case")
		}
		time.Sleep(20 * time.Millisecond) // the writer's subscription is catching up
	}
}

func (r *tamperRig) read(t *testing.T, id domain.CaseID) []*esdb.ResolvedEvent {
	t.Helper()
	rs, err := r.attacker.ReadStream(context.Background(), casefile.StreamName(id), esdb.ReadStreamOptions{From: esdb.Start{}}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []*esdb.ResolvedEvent
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
}

// forgedNote is a CaseNoteAdded attributed to the case's real clerk and
// chained to prev exactly as the product chains, but without the key.
func (r *tamperRig) forgedNote(t *testing.T, id domain.CaseID, prev *esdb.RecordedEvent) esdb.EventData {
	t.Helper()
	hash := eventlog.Hash(eventlog.RecordedEvent{ID: prev.EventID, Type: prev.EventType, Data: prev.Data, RawMetadata: prev.UserMetadata})
	var meta map[string]any
	if err := json.Unmarshal(prev.UserMetadata, &meta); err != nil {
		t.Fatal(err)
	}
	delete(meta, "signature")
	meta["prevHash"] = hash
	rawMeta, _ := json.Marshal(meta)
	data, _ := json.Marshal(casefile.CaseNoteAdded{CaseID: id, NoteID: domain.IDFrom[domain.NoteID](uuid.New()), Text: "nachträglich",
		Visibility: casefile.Internal, AuthorRole: domain.RoleClerk, AuthorID: r.clerk.Actor.ID(), AddedAt: time.Now().UTC()})
	return esdb.EventData{EventID: uuid.New(), EventType: "CaseNoteAdded", ContentType: esdb.ContentTypeJson, Data: data, Metadata: rawMeta}
}

func mustKeys(t *testing.T, data string) *eventlog.Keyring {
	t.Helper()
	k, err := loadSigningKeys(serveConfig{data: data})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func copyOf(e *esdb.RecordedEvent) esdb.EventData {
	return esdb.EventData{EventID: e.EventID, EventType: e.EventType, ContentType: esdb.ContentTypeJson, Data: e.Data, Metadata: e.UserMetadata}
}

var auditorCtx = func() command.Context {
	a, _ := domain.NewActor(domain.RoleAuditor, "pruefer-1")
	return command.Context{Actor: a}
}()

// verifyBoth runs the server's verify-case and the offline verifier on an
// export and checks both name the revision.
func (r *tamperRig) verifyBoth(t *testing.T, id domain.CaseID, rev uint64, reason string) {
	t.Helper()
	ctx := context.Background()
	v, err := r.app.Queries.VerifyCase.Handle(ctx, auditorCtx, audit.VerifyCase{CaseID: id})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range v.Failures {
		found = found || (f.Revision == rev && strings.Contains(f.Reason, reason))
	}
	if v.Intact || !found {
		t.Fatalf("verify-case: intact %v, failures %v; want revision %d (%s)", v.Intact, v.Failures, rev, reason)
	}
	doc, err := r.app.Queries.ExportCase.Handle(ctx, auditorCtx, audit.ExportCase{CaseID: id})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	env, out, errOut := testEnv(nil)
	code := run(ctx, []string{"verify", file, "--public-key", publicKeysFile(r.data)}, env)
	line := strings.TrimSpace(errOut.String())
	t.Logf("offline: %s", line)
	if code != 1 || out.String() != "" || strings.Count(line, "\n") != 0 || !strings.Contains(line, fmt.Sprintf("revisions %d,", rev)) && !strings.Contains(line, fmt.Sprintf(" %d)", rev)) && !strings.Contains(line, fmt.Sprintf(" %d,", rev)) {
		t.Fatalf("offline verify exit %d: %q", code, line)
	}
}

func TestTamperingThroughTheOfficialClientIsNamed(t *testing.T) {
	r := newTamperRig(t)
	ctx := context.Background()

	// An intact case verifies online and offline, exit 0 and one line.
	intact := r.closedCase(t, 2, 1)
	r.checkpointed(t, intact, 3)
	doc, err := r.app.Queries.ExportCase.Handle(ctx, auditorCtx, audit.ExportCase{CaseID: intact})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "intact.json")
	_ = os.WriteFile(file, doc, 0o600)
	env, out, errOut := testEnv(nil)
	if code := run(ctx, []string{"verify", file, "--public-key", publicKeysFile(r.data)}, env); code != 0 ||
		!strings.Contains(out.String(), "intact") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("intact export: exit %d, %q %q", code, out, errOut)
	}
	t.Logf("offline: %s", strings.TrimSpace(out.String()))

	t.Run("a chained note appended after CaseClosed", func(t *testing.T) {
		id := r.closedCase(t, 1, 2)
		evs := r.read(t, id)
		last := evs[len(evs)-1].Event
		res, err := r.attacker.AppendToStream(ctx, casefile.StreamName(id), esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(last.EventNumber)},
			r.forgedNote(t, id, last))
		if err != nil {
			t.Fatal(err)
		}
		r.verifyBoth(t, id, res.NextExpectedVersion, "unsigned")
	})

	t.Run("the last event replaced with a recomputed chain", func(t *testing.T) {
		id := r.closedCase(t, 2, 3)
		r.checkpointed(t, id, 3)
		evs := r.read(t, id)
		if _, err := r.attacker.DeleteStream(ctx, casefile.StreamName(id), esdb.DeleteStreamOptions{ExpectedRevision: esdb.Revision(3)}); err != nil {
			t.Fatal(err)
		}
		var again []esdb.EventData
		for _, e := range evs[:3] {
			again = append(again, copyOf(e.Event))
		}
		again = append(again, r.forgedNote(t, id, evs[2].Event))
		res, err := r.attacker.AppendToStream(ctx, casefile.StreamName(id), esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(3)}, again...)
		if err != nil {
			t.Fatal(err)
		}
		r.verifyBoth(t, id, res.NextExpectedVersion, "unsigned")
		r.verifyBoth(t, id, 3, "removed")
	})

	t.Run("the last events removed", func(t *testing.T) {
		id := r.closedCase(t, 3, 4)
		r.checkpointed(t, id, 4)
		evs := r.read(t, id)
		if _, err := r.attacker.DeleteStream(ctx, casefile.StreamName(id), esdb.DeleteStreamOptions{ExpectedRevision: esdb.Revision(4)}); err != nil {
			t.Fatal(err)
		}
		var again []esdb.EventData
		for _, e := range evs[:3] {
			again = append(again, copyOf(e.Event))
		}
		if _, err := r.attacker.AppendToStream(ctx, casefile.StreamName(id), esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(4)}, again...); err != nil {
			t.Fatal(err)
		}
		r.verifyBoth(t, id, 4, "removed")
	})

	t.Run("a restart restores the checkpoints; a deleted checkpoint stream refuses it", func(t *testing.T) {
		restore := func() error {
			// Another instance on the same data directory, as after a restart.
			sys, cleanup, err := system.New(ctx, system.Config{
				DataDir: r.data, TokenKey: bytes.Repeat([]byte{3}, 32), Signing: mustKeys(t, r.data), CheckpointInterval: time.Hour,
				Hashing: systemtest.FastHashing, Media: systemtest.Loopback,
			}, r.node.Client)
			if err != nil {
				t.Fatal(err)
			}
			defer cleanup()
			return sys.Checkpoints.Restore(ctx)
		}
		if err := restore(); err != nil {
			t.Fatalf("restore after checkpoints: %v", err)
		}
		if _, err := r.attacker.DeleteStream(ctx, audit.CheckpointStream, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Any{}}); err != nil {
			t.Fatal(err)
		}
		if err := restore(); err == nil || !strings.Contains(err.Error(), "rolled back") {
			t.Fatalf("restore without the checkpoint stream: %v", err)
		}
	})
}
