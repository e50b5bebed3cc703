package cases_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

var (
	now     = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clerkID = domain.IDFrom[domain.ClerkID](uuid.New())
	clerk   = command.Context{Actor: domain.ClerkActor(clerkID)}
	system  = command.Context{Actor: mustActor(domain.RoleSystem, "OpenCaseOnVisitAdmitted")}
	citizen = command.Context{Actor: mustActor(domain.RoleCitizen, "visit")}
)

func mustActor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

// memBlobs is an in-memory BlobStore for unit tests.
type memBlobs struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (b *memBlobs) Put(_ context.Context, key string, r io.Reader) (int64, string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, "", err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[key] = data
	sum := sha256.Sum256(data)
	return int64(len(data)), hex.EncodeToString(sum[:]), nil
}

func (b *memBlobs) Get(_ context.Context, key string) (io.ReadCloser, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.m[key]
	if !ok {
		return nil, cases.ErrDocumentNotFound
	}
	return io.NopCloser(bytes.NewReader(d)), nil
}

type fixture struct {
	store *memstore.Store
	deps  cases.Deps
	blobs *memBlobs
}

func setup(t *testing.T) *fixture {
	t.Helper()
	s := memstore.New()
	tokens, _ := command.NewHMACTokens(bytes.Repeat([]byte{9}, 32))
	alloc, err := cases.NewReferenceAllocator(s, "DO")
	if err != nil {
		t.Fatal(err)
	}
	blobs := &memBlobs{m: map[string][]byte{}}
	env := command.Env{Store: s, Clock: command.ClockFunc(func() time.Time { return now }), IDs: command.CryptoIDs{}}
	return &fixture{store: s, blobs: blobs, deps: cases.Deps{Env: env, Tokens: tokens, Blobs: blobs, References: alloc}}
}

func (f *fixture) open(t *testing.T) domain.CaseID {
	t.Helper()
	id := domain.IDFrom[domain.CaseID](uuid.New())
	ref, err := f.deps.References.Allocate(context.Background(), command.Write{Meta: f.deps.Env.Meta(system)}, id, 2026)
	if err != nil {
		t.Fatal(err)
	}
	h, err := cases.NewOpenCaseHandler(f.deps)
	if err != nil {
		t.Fatal(err)
	}
	created, err := h.Handle(context.Background(), system, cases.OpenCase{
		CaseID: id, Reference: ref, OfficeID: domain.IDFrom[domain.OfficeID](uuid.New()),
		ServiceID: domain.IDFrom[domain.ServiceID](uuid.New()), ClerkID: clerkID,
	}, nil)
	if err != nil || !created {
		t.Fatalf("open: %v, created %v", err, created)
	}
	return id
}

func TestOpenCaseIsIdempotent(t *testing.T) {
	f := setup(t)
	id := f.open(t)
	l := f.store.Events(casefile.StreamName(id))
	opened := l[0].Event.(casefile.CaseOpened)
	h, _ := cases.NewOpenCaseHandler(f.deps)
	cmd := cases.OpenCase{CaseID: id, Reference: opened.Reference, OfficeID: opened.OfficeID, ServiceID: opened.ServiceID, ClerkID: clerkID}
	created, err := h.Handle(context.Background(), system, cmd, nil)
	if err != nil || created {
		t.Fatalf("second open: created %v, %v", created, err)
	}
	other, _ := casefile.NewReference("DO", 2026, 99)
	cmd.Reference = other
	if _, err := h.Handle(context.Background(), system, cmd, nil); !errors.Is(err, cases.ErrCaseMismatch) {
		t.Fatalf("open with another reference: %v", err)
	}
	if n := len(f.store.Events(casefile.StreamName(id))); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
}

func TestCaseStepsAndCitizenView(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id := f.open(t)
	note, _ := cases.NewAddNoteHandler(f.deps)
	if _, err := note.Handle(ctx, clerk, cases.AddNote{CaseID: id, Text: "Pass beantragt", Visibility: casefile.VisibleCitizen}); err != nil {
		t.Fatal(err)
	}
	if _, err := note.Handle(ctx, clerk, cases.AddNote{CaseID: id, Text: "Foto prüfen", Visibility: casefile.Internal}); err != nil {
		t.Fatal(err)
	}
	if _, err := note.Handle(ctx, citizen, cases.AddNote{CaseID: id, Text: "x", Visibility: casefile.Internal}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("citizen adding a note: %v", err)
	}
	reqH, _ := cases.NewRequestDocumentHandler(f.deps)
	reqID, err := reqH.Handle(ctx, clerk, cases.RequestDocument{CaseID: id, What: "Meldebescheinigung", DueDate: hours.BerlinDate(now).AddDays(7)})
	if err != nil {
		t.Fatal(err)
	}
	recv, _ := cases.NewReceiveDocumentHandler(f.deps)
	token := cases.Token(f.deps.Tokens, id)
	if _, err := recv.Handle(ctx, citizen, cases.ReceiveDocument{CaseID: id, Token: "nope", RequestID: reqID, FileName: "a.pdf", Content: strings.NewReader("%PDF-1.7")}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("upload with a wrong token: %v", err)
	}
	got, err := recv.Handle(ctx, citizen, cases.ReceiveDocument{CaseID: id, Token: token, RequestID: reqID, FileName: "a.pdf", Content: strings.NewReader("%PDF-1.7")})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("%PDF-1.7"))
	if got.SHA256 != hex.EncodeToString(sum[:]) || got.SizeBytes != 8 || string(f.blobs.m[got.Key]) != "%PDF-1.7" {
		t.Fatalf("received %+v, blob %q", got, f.blobs.m[got.Key])
	}
	if _, err := recv.Handle(ctx, citizen, cases.ReceiveDocument{CaseID: id, Token: token, RequestID: reqID, FileName: "b.pdf", Content: strings.NewReader("%PDF-1.7 again")}); !errors.Is(err, casefile.ErrUnknownDocumentRequest) {
		t.Fatalf("answering an answered request: %v", err)
	}
	// The content decides the type: an SVG named .pdf is refused and stores nothing.
	blobs := len(f.blobs.m)
	if _, err := recv.Handle(ctx, citizen, cases.ReceiveDocument{CaseID: id, Token: token, FileName: "scan.pdf", Content: strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`)}); !errors.Is(err, casefile.ErrDocumentTypeNotAllowed) {
		t.Fatalf("uploading an SVG as .pdf: %v", err)
	}
	if len(f.blobs.m) != blobs {
		t.Fatal("a refused document reached the blob store")
	}
	getH, _ := cases.NewGetDocumentHandler(f.deps)
	rc, err := getH.Handle(ctx, clerk, cases.GetDocument{CaseID: id, SHA256: got.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "%PDF-1.7" {
		t.Fatalf("document %q", b)
	}
	status, _ := cases.NewChangeStatusHandler(f.deps)
	if _, err := status.Handle(ctx, clerk, cases.ChangeStatus{CaseID: id, To: casefile.StatusWaitingForOffice}); err != nil {
		t.Fatal(err)
	}
	closeH, _ := cases.NewCloseCaseHandler(f.deps)
	if _, err := closeH.Handle(ctx, clerk, cases.CloseCase{CaseID: id, Outcome: casefile.OutcomeCompleted}); err != nil {
		t.Fatal(err)
	}
	if _, err := note.Handle(ctx, clerk, cases.AddNote{CaseID: id, Text: "late", Visibility: casefile.Internal}); !errors.Is(err, casefile.ErrClosed) {
		t.Fatalf("note on a closed case: %v", err)
	}
	view, _ := cases.NewCitizenCaseHandler(f.deps)
	ref := f.store.Events(casefile.StreamName(id))[0].Event.(casefile.CaseOpened).Reference
	v, err := view.Handle(ctx, cases.CitizenCase{Reference: ref, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if v.Reference != ref || v.Status != casefile.StatusClosed || len(v.Notes) != 1 || v.Notes[0].Text != "Pass beantragt" {
		t.Fatalf("citizen view %+v", v)
	}
	if _, err := view.Handle(ctx, cases.CitizenCase{Reference: ref, Token: "guess"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("view with a wrong token: %v", err)
	}
	unknown, _ := casefile.NewReference("DO", 2026, 4711)
	if _, err := view.Handle(ctx, cases.CitizenCase{Reference: unknown, Token: token}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("unknown reference: %v, want the same answer as a wrong token", err)
	}
	evs := f.store.Events(casefile.StreamName(id))
	if _, err := eventlog.VerifyChain(evs); err != nil {
		t.Fatalf("case chain: %v", err)
	}
}

func TestReferenceAllocationIsUniqueAndGapFreeAcrossInstances(t *testing.T) {
	s := memstore.New()
	a1, _ := cases.NewReferenceAllocator(s, "DO")
	a2, _ := cases.NewReferenceAllocator(s, "DO") // a second app instance
	meta := command.Write{Meta: eventlog.Metadata{Actor: system.Actor, OccurredAt: now}}
	const n = 20
	refs := make([]string, n)
	ids := make([]domain.CaseID, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		ids[i] = domain.IDFrom[domain.CaseID](uuid.New())
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := a1
			if i%2 == 1 {
				a = a2
			}
			ref, err := a.Allocate(context.Background(), meta, ids[i], 2026)
			if err != nil {
				t.Error(err)
				return
			}
			refs[i] = ref.String()
		}()
	}
	wg.Wait()
	sort.Strings(refs)
	for i, r := range refs {
		if want := fmt.Sprintf("DO-2026-%06d", i+1); r != want {
			t.Fatalf("references %v: position %d is %s, want %s", refs, i, r, want)
		}
	}
	// Idempotent per case, on either instance, and resolvable.
	again, err := a2.Allocate(context.Background(), meta, ids[0], 2026)
	if err != nil {
		t.Fatal(err)
	}
	back, err := a1.Resolve(context.Background(), again)
	if err != nil || back != ids[0] {
		t.Fatalf("resolve %s = %v, %v; want %v", again, back, err, ids[0])
	}
	if got := len(s.Events(casefile.CounterStreamName("DO", 2026))); got != n {
		t.Fatalf("%d allocations written, want %d", got, n)
	}
}
