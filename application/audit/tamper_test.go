package audit_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

func newKeyring(tb testing.TB, old ...ed25519.PublicKey) *eventlog.Keyring {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	k, err := eventlog.NewKeyring(priv, old...)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// failedAt returns the revisions verification names.
func failedAt(v audit.Verification) []uint64 {
	var out []uint64
	for _, f := range v.Failures {
		out = append(out, f.Revision)
	}
	return out
}

func has(revs []uint64, r uint64) bool {
	for _, x := range revs {
		if x == r {
			return true
		}
	}
	return false
}

func TestEveryCaseEventIsSignedAndVerified(t *testing.T) {
	_, d, id := caseWithNotes(t, 2)
	v, _ := audit.NewVerifyCaseHandler(d)
	got, err := v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
	if err != nil || !got.Intact || !got.SignaturesChecked || len(got.Checks) != 4 {
		t.Fatalf("verify: %+v, %v", got, err)
	}
	for _, c := range got.Checks {
		if !c.Signed || !c.Chained || c.KeyID == "" {
			t.Fatalf("check %+v", c)
		}
	}
}

// forge appends an event the way someone who can write the store but has
// no signing key can: correctly chained, attributed to the clerk, unsigned.
func forge(t *testing.T, s *memstore.Store, stream string, keyless eventlog.Signer) {
	t.Helper()
	evs := s.Events(stream)
	last := evs[len(evs)-1]
	signer := s.Signer
	s.Signer = keyless
	defer func() { s.Signer = signer }()
	_, err := s.Append(context.Background(), stream, eventlog.ExpectRevision(last.Revision).ChainedFrom(eventlog.Hash(last)),
		eventlog.NewEvent{ID: uuid.New(), Event: casefile.CaseNoteAdded{Text: "nachträglich"}, Meta: eventlog.Metadata{Actor: clerk.Actor, OccurredAt: t0}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAChainedEventWithoutTheKeyIsNamed(t *testing.T) {
	for name, keyless := range map[string]eventlog.Signer{"unsigned": nil, "signed with another key": newKeyring(t)} {
		t.Run(name, func(t *testing.T) {
			s, d, id := caseWithNotes(t, 2)
			forge(t, s, casefile.StreamName(id), keyless)
			v, _ := audit.NewVerifyCaseHandler(d)
			got, err := v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
			if err != nil || got.Intact || !has(failedAt(got), 4) || got.Break.Revision != 4 || !got.Checks[4].Chained || got.Checks[4].Signed {
				t.Fatalf("forged revision 4: %+v, %v", got.Failures, err)
			}
		})
	}
}

func TestRotatedKeysStillVerify(t *testing.T) {
	s, d, id := caseWithNotes(t, 1)
	old := d.Keys
	var oldPub []ed25519.PublicKey
	for _, k := range old {
		oldPub = append(oldPub, k)
	}
	rotated := newKeyring(t, oldPub...)
	s.Signer = rotated
	forge(t, s, casefile.StreamName(id), rotated) // a legitimate event, signed with the new key
	d.Keys = rotated.Public()
	v, _ := audit.NewVerifyCaseHandler(d)
	got, err := v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
	if err != nil || !got.Intact {
		t.Fatalf("after rotation: %+v, %v", got.Failures, err)
	}
	if got.Checks[0].KeyID == got.Checks[3].KeyID || got.Checks[3].KeyID != rotated.KeyID() {
		t.Fatalf("key IDs %q, %q", got.Checks[0].KeyID, got.Checks[3].KeyID)
	}
}

// archive is an in-memory audit.Archive.
type archive struct{ saved []eventlog.SignedTreeHead }

func (a *archive) Save(_ context.Context, cp eventlog.SignedTreeHead) error {
	a.saved = append(a.saved, cp)
	return nil
}

func (a *archive) Latest(context.Context) (*eventlog.SignedTreeHead, error) {
	if len(a.saved) == 0 {
		return nil, nil
	}
	return &a.saved[len(a.saved)-1], nil
}

func checkpointWriter(t *testing.T, s *memstore.Store, a audit.Archive) *audit.CheckpointWriter {
	t.Helper()
	w, err := audit.NewCheckpointWriter(audit.CheckpointWriterConfig{Store: s, Keyring: s.Signer.(*eventlog.Keyring), Archive: a,
		Clock: command.ClockFunc(func() time.Time { return t0.Add(time.Hour) }), IDs: command.CryptoIDs{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Restore(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Deliver the backlog, then stop following (the store's subscription is live).
	ctx, cancel := context.WithCancel(context.Background())
	sub := w.Subscription()
	caughtUp := sub.OnCaughtUp
	sub.OnCaughtUp = func(c context.Context) {
		if caughtUp != nil {
			caughtUp(c)
		}
		cancel()
	}
	if err := s.SubscribeAll(ctx, nil, sub); err != nil {
		t.Fatal(err)
	}
	if err := w.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

// truncated is a store that hides a stream's last events, as a soft
// delete and re-append of its start would.
type truncated struct {
	*memstore.Store
	stream string
	keep   int
}

func (s truncated) Load(ctx context.Context, stream string) ([]eventlog.RecordedEvent, error) {
	evs, err := s.Store.Load(ctx, stream)
	if stream == s.stream && err == nil {
		evs = evs[:s.keep]
	}
	return evs, err
}

func TestARemovedTailIsDetectedAgainstTheCheckpoint(t *testing.T) {
	s, d, id := caseWithNotes(t, 3)
	arch := &archive{}
	w := checkpointWriter(t, s, arch)
	if len(arch.saved) != 1 || arch.saved[0].Seq != 1 {
		t.Fatalf("archive %+v", arch.saved)
	}
	d.Checkpoints = w
	v, _ := audit.NewVerifyCaseHandler(d)
	got, err := v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
	if err != nil || !got.Intact || got.Checks[4].Checkpoint != 1 {
		t.Fatalf("checkpointed case: %+v, %v", got, err)
	}
	d.Env.Store = truncated{Store: s, stream: casefile.StreamName(id), keep: 3}
	v, _ = audit.NewVerifyCaseHandler(d)
	got, err = v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
	if err != nil || got.Intact || got.Break.Revision != 4 || !strings.Contains(got.Break.Reason, "removed") {
		t.Fatalf("truncated case: %+v, %v", got.Failures, err)
	}
	// A whole case removed is a failed verification, not "not found".
	d.Env.Store = truncated{Store: s, stream: casefile.StreamName(id), keep: 0}
	v, _ = audit.NewVerifyCaseHandler(d)
	got, err = v.Handle(context.Background(), auditor, audit.VerifyCase{CaseID: id})
	if err != nil || got.Intact || got.Break.Revision != 4 {
		t.Fatalf("removed case: %+v, %v", got.Failures, err)
	}
}

func TestACheckpointStreamRolledBackRefusesStart(t *testing.T) {
	s, _, id := caseWithNotes(t, 1)
	arch := &archive{}
	checkpointWriter(t, s, arch)
	forge(t, s, casefile.StreamName(id), s.Signer) // the case moves on
	checkpointWriter(t, s, arch)                   // checkpoint 2
	arch.saved = append(arch.saved, arch.saved[1])
	arch.saved[2].Seq = 3
	w, _ := audit.NewCheckpointWriter(audit.CheckpointWriterConfig{Store: s, Keyring: s.Signer.(*eventlog.Keyring), Archive: arch,
		Clock: command.SystemClock{}, IDs: command.CryptoIDs{}})
	if err := w.Restore(context.Background()); err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("restore with a newer archive: %v", err)
	}
}

func TestAnExportVerifiesOffline(t *testing.T) {
	s, d, id := caseWithNotes(t, 2)
	d.Checkpoints = checkpointWriter(t, s, nil)
	ex, _ := audit.NewExportCaseHandler(d)
	doc, err := ex.Handle(context.Background(), auditor, audit.ExportCase{CaseID: id})
	if err != nil {
		t.Fatal(err)
	}
	got, err := audit.VerifyExport(doc, d.Keys)
	if err != nil || !got.Intact || got.Checks[3].Checkpoint != 1 {
		t.Fatalf("offline: %+v, %v", got.Failures, err)
	}
	if got, _ := audit.VerifyExport(doc, newKeyring(t).Public()); got.Intact {
		t.Fatal("an export verified with keys that never signed it")
	}
	var m map[string]any
	_ = json.Unmarshal(doc, &m)
	evs := m["evidence"].(map[string]any)["events"].([]any)
	evs[2].(map[string]any)["data"] = "eyJ0ZXh0IjoiZ2XDpG5kZXJ0In0=" // {"text":"geändert"}
	altered, _ := json.Marshal(m)
	if got, _ := audit.VerifyExport(altered, d.Keys); got.Intact || got.Break.Revision != 2 {
		t.Fatalf("altered export: %+v", got.Failures)
	}
}

func TestTheAuditLogIsChainedSignedAndShown(t *testing.T) {
	_, d, id := caseWithNotes(t, 1)
	r, _ := audit.NewReplayCaseHandler(d)
	for range 2 {
		if _, err := r.Handle(context.Background(), auditor, audit.ReplayCase{CaseID: id}); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := audit.NewGetCaseAuditLogHandler(d)
	if _, err := h.Handle(context.Background(), clerk, audit.GetCaseAuditLog{CaseID: id}); err == nil {
		t.Fatal("a clerk read the audit log")
	}
	log, err := h.Handle(context.Background(), auditor, audit.GetCaseAuditLog{CaseID: id})
	if err != nil || len(log.Records) != 3 || !log.Verification.Intact || log.Records[2].Kind != audit.AccessAuditLog || log.Records[0].ActorID != "pruefer-7" {
		t.Fatalf("audit log %+v, %v", log, err)
	}
	for _, c := range log.Verification.Checks {
		if !c.Signed {
			t.Fatalf("unsigned audit record %+v", c)
		}
	}
}

func TestTheCheckpointLoopWritesUntilStopped(t *testing.T) {
	s, _, id := caseWithNotes(t, 1)
	arch := &archive{}
	var mu sync.Mutex
	saved := func() int { mu.Lock(); defer mu.Unlock(); return len(arch.saved) }
	w, err := audit.NewCheckpointWriter(audit.CheckpointWriterConfig{Store: s, Keyring: s.Signer.(*eventlog.Keyring),
		Archive: lockedArchive{arch, &mu}, Clock: command.SystemClock{}, IDs: command.CryptoIDs{}, Interval: time.Millisecond,
		OnError: func(err error) { t.Error(err) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for saved() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint written")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	cp, in, err := w.Latest(context.Background(), casefile.StreamName(id))
	if err != nil || cp == nil || in == nil || in.Head.Revision != 2 || in.Check(cp.TreeHead) != nil {
		t.Fatalf("latest %+v %+v %v", cp, in, err)
	}
	if saved() != 1 {
		t.Fatalf("%d checkpoints for one unchanged state", saved())
	}
}

type lockedArchive struct {
	a  *archive
	mu *sync.Mutex
}

func (l lockedArchive) Save(ctx context.Context, cp eventlog.SignedTreeHead) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.a.Save(ctx, cp)
}

func (l lockedArchive) Latest(ctx context.Context) (*eventlog.SignedTreeHead, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.a.Latest(ctx)
}
