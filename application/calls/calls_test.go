package calls_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/seed"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

var monday10 = time.Date(2026, 3, 2, 10, 0, 0, 0, hours.Location())

// fakeRelay records what the service asks of the relay.
type fakeRelay struct {
	mu     sync.Mutex
	opened []string
	joins  []calls.JoinRequest
	left   []string
	closed map[string]calls.Reason
	turn   bool
}

func (r *fakeRelay) OpenRoom(room string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.closed[room]; ok {
		return calls.ErrCallEnded
	}
	if slices.Contains(r.opened, room) {
		return calls.ErrRoomExists
	}
	r.opened = append(r.opened, room)
	return nil
}

func (r *fakeRelay) Join(_ context.Context, req calls.JoinRequest) (calls.JoinResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.OfferSDP == "bad" {
		return calls.JoinResult{}, calls.ErrInvalidOffer
	}
	r.joins = append(r.joins, req)
	return calls.JoinResult{Participant: req.Participant, AnswerSDP: "answer:" + req.Participant}, nil
}

func (r *fakeRelay) Renegotiate(_ context.Context, room, p, offer string) (string, error) {
	return "re-answer:" + p, nil
}

func (r *fakeRelay) Leave(room, p string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.left = append(r.left, p)
	return nil
}

func (r *fakeRelay) CloseRoom(room string, reason calls.Reason) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.closed[room]; ok {
		return calls.ErrCallEnded
	}
	if r.closed == nil {
		r.closed = map[string]calls.Reason{}
	}
	r.closed[room] = reason
	return nil
}

func (r *fakeRelay) ICEServers(p string) ([]calls.ICEServer, error) {
	if !r.turn {
		return nil, calls.ErrNoTURN
	}
	return []calls.ICEServer{{URLs: []string{"turn:127.0.0.1:3478?transport=udp"}, Username: "x:" + p, Credential: "c"}}, nil
}

func (r *fakeRelay) joinCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.joins)
}

func (r *fakeRelay) closedWith(room string) (calls.Reason, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	why, ok := r.closed[room]
	return why, ok
}

type noBlobs struct{}

func (noBlobs) Put(context.Context, string, io.Reader) (int64, string, error) {
	return 0, "", errors.New("no blobs")
}
func (noBlobs) Get(context.Context, string) (io.ReadCloser, error) {
	return nil, errors.New("no blobs")
}

// countingRandom is crypto-quality enough for tests and counts the bytes
// drawn, to show the tokens come from the injected source.
type countingRandom struct {
	n atomic.Int64
	r io.Reader
}

func (c *countingRandom) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

type ids struct{ random *countingRandom }

func (ids) NewUUID() uuid.UUID  { return uuid.New() }
func (i ids) Random() io.Reader { return i.random }

type fixture struct {
	store  *memstore.Store
	app    *application.Application
	svc    *calls.Service
	relay  *fakeRelay
	now    atomic.Pointer[time.Time]
	random *countingRandom
	clerk  command.Context
	office domain.OfficeID
}

func setup(t *testing.T, tweak func(*calls.Config)) *fixture {
	t.Helper()
	f := &fixture{store: memstore.New(), relay: &fakeRelay{}, random: &countingRandom{r: cryptoReader()}}
	f.setNow(monday10)
	clock := command.ClockFunc(func() time.Time { return *f.now.Load() })
	app, err := application.New(application.Config{Store: f.store, TokenKey: bytes.Repeat([]byte{7}, 32), Blobs: noBlobs{}, Clock: clock, IDs: ids{f.random}})
	if err != nil {
		t.Fatal(err)
	}
	f.app = app
	cfg := calls.Config{Env: command.Env{Store: f.store, Clock: clock, IDs: ids{f.random}}, Tokens: app.Tokens, Relay: f.relay}
	if tweak != nil {
		tweak(&cfg)
	}
	if f.svc, err = calls.New(cfg); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := seed.Run(ctx, app.Commands.EstablishOffice); err != nil {
		t.Fatal(err)
	}
	f.office = seed.Offices()[0].OfficeID
	f.clerk = command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	if _, err := app.Commands.GoOnDuty.Handle(ctx, f.clerk, offices.GoOnDuty{OfficeID: f.office}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) setNow(t time.Time) { f.now.Store(&t) }

var citizen = command.Context{Actor: mustActor(domain.RoleCitizen, "anonymous")}

func mustActor(r domain.Role, id string) domain.Actor {
	a, err := domain.NewActor(r, id)
	if err != nil {
		panic(err)
	}
	return a
}

// knock knocks and returns the visit and its capability token.
func (f *fixture) knock(t *testing.T) (domain.VisitID, string) {
	t.Helper()
	res, err := f.app.Commands.Knock.Handle(context.Background(), citizen, visits.Knock{
		RequestID: domain.IDFrom[domain.RequestID](uuid.New()), OfficeID: f.office,
		ServiceID: seed.Offices()[0].Services[0].ID, DisplayName: "Frau M.", Language: visit.German,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.VisitID, res.Token
}

func (f *fixture) admitted(t *testing.T) (visits.Admission, string) {
	t.Helper()
	id, tok := f.knock(t)
	adm, err := f.app.Commands.AdmitVisit.Handle(context.Background(), f.clerk, visits.AdmitVisit{VisitID: id})
	if err != nil {
		t.Fatal(err)
	}
	return adm, tok
}

func citizenOf(id domain.VisitID) command.Context {
	return command.Context{Actor: visits.CitizenActor(id)}
}

func (f *fixture) join(t *testing.T, id domain.VisitID, token string) (calls.Joined, error) {
	t.Helper()
	return f.svc.Join(context.Background(), calls.Join{VisitID: id, Token: token, OfferSDP: "offer", ClientAddr: netip.MustParseAddr("127.0.0.1")})
}

func TestJoinTokensAreSingleUseShortLivedAndBound(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	waiting, waitingTok := f.knock(t)
	if _, err := f.svc.IssueToken(ctx, citizenOf(waiting), calls.IssueToken{VisitID: waiting, VisitToken: waitingTok}); !errors.Is(err, calls.ErrNotAdmitted) {
		t.Fatalf("token before admission: %v, want ErrNotAdmitted", err)
	}
	adm, visitTok := f.admitted(t)
	if _, err := f.svc.IssueToken(ctx, citizenOf(adm.VisitID), calls.IssueToken{VisitID: adm.VisitID, VisitToken: waitingTok}); !errors.Is(err, command.ErrBadToken) {
		t.Fatalf("another visit's capability: %v, want ErrBadToken", err)
	}
	other := command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](uuid.New()))}
	if _, err := f.svc.IssueToken(ctx, other, calls.IssueToken{VisitID: adm.VisitID}); !errors.Is(err, calls.ErrNotAdmittingClerk) {
		t.Fatalf("a clerk who did not admit: %v, want ErrNotAdmittingClerk", err)
	}

	drawn := f.random.n.Load()
	tok, err := f.svc.IssueToken(ctx, citizenOf(adm.VisitID), calls.IssueToken{VisitID: adm.VisitID, VisitToken: visitTok})
	if err != nil {
		t.Fatal(err)
	}
	if f.random.n.Load()-drawn < 32 {
		t.Fatalf("token drew %d random bytes, want at least 32 from the injected source", f.random.n.Load()-drawn)
	}
	if !strings.HasPrefix(tok.Token, calls.JoinTokenPrefix) || len(tok.Token) < len(calls.JoinTokenPrefix)+43 || tok.Role != calls.RoleCitizen {
		t.Fatalf("token %q role %s: want bbj_ and 256 bits as citizen", tok.Token, tok.Role)
	}
	if want := monday10.Add(calls.DefaultTokenTTL); !tok.ExpiresAt.Equal(want) {
		t.Fatalf("expires %s, want %s", tok.ExpiresAt, want)
	}
	if got := f.relay.opened; len(got) != 1 || got[0] != adm.CallID.String() {
		t.Fatalf("rooms opened %q, want the call %s", got, adm.CallID)
	}

	// Forged, foreign and tampered tokens reach no relay.
	for name, forged := range map[string]string{
		"empty": "", "forged": calls.JoinTokenPrefix + strings.Repeat("A", 43), "tampered": tok.Token[:len(tok.Token)-1] + "x",
		"session prefix": "bbs_" + tok.Token[4:], "huge": tok.Token + strings.Repeat("A", 200),
	} {
		if _, err := f.join(t, adm.VisitID, forged); !errors.Is(err, calls.ErrUnauthorized) {
			t.Fatalf("%s token: %v, want ErrUnauthorized", name, err)
		}
	}
	if _, err := f.join(t, waiting, tok.Token); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("token at another visit: %v, want ErrUnauthorized", err)
	}
	if n := f.relay.joinCount(); n != 0 {
		t.Fatalf("%d joins reached the relay, want 0", n)
	}

	joined, err := f.join(t, adm.VisitID, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	if joined.AnswerSDP != "answer:"+tok.ParticipantID || joined.Role != calls.RoleCitizen || joined.ParticipantID != tok.ParticipantID {
		t.Fatalf("joined %+v", joined)
	}
	if j := f.relay.joins[0]; j.Room != adm.CallID.String() || j.Role != calls.RoleCitizen || j.Participant != tok.ParticipantID {
		t.Fatalf("relay join %+v", j)
	}
	if _, err := f.join(t, adm.VisitID, tok.Token); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("replayed token: %v, want ErrUnauthorized", err)
	}

	// Expiry by the injected clock.
	clerkTok, err := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID})
	if err != nil {
		t.Fatal(err)
	}
	f.setNow(monday10.Add(calls.DefaultTokenTTL))
	if _, err := f.svc.ICEServers(ctx, adm.VisitID, clerkTok.Token); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("ICE servers with an expired token: %v, want ErrUnauthorized", err)
	}
	if _, err := f.join(t, adm.VisitID, clerkTok.Token); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("expired token: %v, want ErrUnauthorized", err)
	}
	if n := f.relay.joinCount(); n != 1 {
		t.Fatalf("%d joins reached the relay, want 1", n)
	}

	// A newer token of the same holder replaces the older one.
	first, _ := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID})
	second, _ := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID})
	if _, err := f.join(t, adm.VisitID, first.Token); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("replaced token: %v, want ErrUnauthorized", err)
	}
	servers, err := f.svc.ICEServers(ctx, adm.VisitID, second.Token)
	if err != nil || len(servers) != 0 {
		t.Fatalf("ICE servers without TURN: %v %v, want an empty list", servers, err)
	}
	if _, err := f.join(t, adm.VisitID, second.Token); err != nil {
		t.Fatalf("ICE servers spent the token: %v", err)
	}
}

func TestSpentJoinTokenAuthorisesOnlyItsParticipant(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	adm, _ := f.admitted(t)
	tok, _ := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID})
	joined, err := f.join(t, adm.VisitID, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	unspent, _ := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleColleague})
	p := calls.ParticipantRequest{VisitID: adm.VisitID, ParticipantID: joined.ParticipantID, Token: tok.Token}
	for name, bad := range map[string]calls.ParticipantRequest{
		"unspent token":     {VisitID: p.VisitID, ParticipantID: p.ParticipantID, Token: unspent.Token},
		"other participant": {VisitID: p.VisitID, ParticipantID: uuid.NewString(), Token: p.Token},
		"other visit":       {VisitID: domain.IDFrom[domain.VisitID](uuid.New()), ParticipantID: p.ParticipantID, Token: p.Token},
	} {
		if _, err := f.svc.Renegotiate(ctx, bad, "offer"); !errors.Is(err, calls.ErrUnauthorized) {
			t.Fatalf("renegotiate with %s: %v, want ErrUnauthorized", name, err)
		}
	}
	if ans, err := f.svc.Renegotiate(ctx, p, "offer"); err != nil || ans != "re-answer:"+joined.ParticipantID {
		t.Fatalf("renegotiate: %q %v", ans, err)
	}
	if err := f.svc.Leave(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Leave(ctx, p); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("second leave: %v, want ErrUnauthorized", err)
	}
	if len(f.relay.left) != 1 || f.relay.left[0] != joined.ParticipantID {
		t.Fatalf("relay leaves %q", f.relay.left)
	}
}

func TestClerkInvitesAtMostTwoGuests(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	adm, visitTok := f.admitted(t)
	if _, err := f.svc.InviteGuest(ctx, citizenOf(adm.VisitID), calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleInterpreter}); !errors.Is(err, command.ErrWrongRole) {
		t.Fatalf("citizen invites: %v, want ErrWrongRole", err)
	}
	if _, err := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleCitizen}); !errors.Is(err, calls.ErrInvalidRole) {
		t.Fatalf("inviting a citizen: %v, want ErrInvalidRole", err)
	}
	interpreter, err := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleInterpreter})
	if err != nil {
		t.Fatal(err)
	}
	if want := monday10.Add(calls.DefaultGuestTokenTTL); interpreter.Role != calls.RoleInterpreter || !interpreter.ExpiresAt.Equal(want) {
		t.Fatalf("guest token %+v", interpreter)
	}
	joined, err := f.join(t, adm.VisitID, interpreter.Token)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.CallStarted(adm.CallID.String(), monday10)
	f.svc.ParticipantJoined(adm.CallID.String(), uuid.NewString(), calls.RoleClerk)
	f.svc.ParticipantJoined(adm.CallID.String(), joined.ParticipantID, calls.RoleInterpreter)
	if _, err := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleColleague}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleColleague}); !errors.Is(err, calls.ErrTooManyGuests) {
		t.Fatalf("third guest: %v, want ErrTooManyGuests", err)
	}
	// The citizen's own token is not a guest's.
	if _, err := f.svc.IssueToken(ctx, citizenOf(adm.VisitID), calls.IssueToken{VisitID: adm.VisitID, VisitToken: visitTok}); err != nil {
		t.Fatal(err)
	}
	f.svc.ParticipantLeft(adm.CallID.String(), joined.ParticipantID, calls.RoleInterpreter, calls.ReasonLeft)
	if _, err := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleInterpreter}); err != nil {
		t.Fatalf("guest after one left: %v", err)
	}
}

func TestTokenStoreIsBounded(t *testing.T) {
	f := setup(t, func(c *calls.Config) { c.MaxTokens = 2 })
	ctx := context.Background()
	adm, _ := f.admitted(t)
	for i := 0; i < 2; i++ {
		if _, err := f.svc.InviteGuest(ctx, f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleColleague}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID}); !errors.Is(err, calls.ErrBusy) {
		t.Fatalf("full store: %v, want ErrBusy", err)
	}
	f.setNow(monday10.Add(calls.DefaultGuestTokenTTL))
	if _, err := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID}); err != nil {
		t.Fatalf("after the guest links expired: %v", err)
	}
}

func types(evs []eventlog.RecordedEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func TestRelayCallbacksRecordTheCallOnVisitAndCase(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	adm, visitTok := f.admitted(t)
	ctok, _ := f.svc.IssueToken(ctx, citizenOf(adm.VisitID), calls.IssueToken{VisitID: adm.VisitID, VisitToken: visitTok})
	ktok, _ := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID})
	room := adm.CallID.String()
	caseStream := casefile.StreamName(adm.CaseID)
	before := len(f.store.Events(caseStream))

	f.setNow(monday10.Add(time.Minute))
	f.svc.CallStarted(room, monday10)
	f.svc.ParticipantJoined(room, ctok.ParticipantID, calls.RoleCitizen)
	f.svc.ParticipantJoined(room, ktok.ParticipantID, calls.RoleClerk)
	f.svc.ParticipantJoined(room, ktok.ParticipantID, calls.RoleClerk) // a repeat records nothing
	f.setNow(monday10.Add(4 * time.Minute))
	f.svc.ParticipantLeft(room, ctok.ParticipantID, calls.RoleCitizen, calls.ReasonLeft)
	if _, ok := f.relay.closedWith(room); ok {
		t.Fatal("room closed while the clerk is still in it")
	}
	f.svc.ParticipantLeft(room, ktok.ParticipantID, calls.RoleClerk, calls.ReasonLeft)

	got := types(f.store.Events(caseStream))[before:]
	want := []string{"CallStarted", "CallParticipantJoined", "CallParticipantJoined", "CallParticipantLeft", "CallParticipantLeft", "CallEnded"}
	if !slices.Equal(got, want) {
		t.Fatalf("case events %q, want %q", got, want)
	}
	evs := f.store.Events(caseStream)[before:]
	j := evs[1].Event.(casefile.CallParticipantJoined)
	if j.Role != domain.RoleCitizen || j.ParticipantID != "citizen:"+ctok.ParticipantID || j.CallID != adm.CallID {
		t.Fatalf("citizen joined as %+v", j)
	}
	if k := evs[2].Event.(casefile.CallParticipantJoined); k.Role != domain.RoleClerk || k.ParticipantID != "clerk:"+ktok.ParticipantID {
		t.Fatalf("clerk joined as %+v", k)
	}
	end := evs[5].Event.(casefile.CallEnded)
	if end.Reason != casefile.CallCitizenLeft || end.DurationSeconds != 180 {
		t.Fatalf("call ended %+v, want citizen_left after 180 s", end)
	}
	if vt := types(f.store.Events(visit.StreamName(adm.VisitID))); !slices.Contains(vt, "VisitCallStarted") || vt[len(vt)-1] != "VisitEnded" {
		t.Fatalf("visit events %q", vt)
	}
	if why, ok := f.relay.closedWith(room); !ok || why != calls.ReasonCompleted {
		t.Fatalf("room closed %v with %s, want completed", ok, why)
	}
	// The policies the read side runs on the same visit events write nothing
	// more: they derive the same event IDs.
	n := len(f.store.Events(caseStream))
	for _, e := range f.store.Events(visit.StreamName(adm.VisitID)) {
		for _, p := range f.app.Policies {
			if err := p.Handle(ctx, e); err != nil {
				t.Fatalf("%s on %s: %v", p.Name(), e.Type, err)
			}
		}
	}
	if m := len(f.store.Events(caseStream)); m != n {
		t.Fatalf("policies added %q to the case", types(f.store.Events(caseStream))[n:])
	}
	if _, err := f.join(t, adm.VisitID, ctok.Token); !errors.Is(err, calls.ErrUnauthorized) {
		t.Fatalf("token of an ended call: %v, want ErrUnauthorized", err)
	}
}

func TestHandlerClosesTheRoomWhenTheVisitEnds(t *testing.T) {
	f := setup(t, nil)
	ctx := context.Background()
	adm, _ := f.admitted(t)
	if _, err := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Commands.EndVisit.Handle(ctx, f.clerk, visits.EndVisit{VisitID: adm.VisitID, Reason: visit.EndCompleted}); err != nil {
		t.Fatal(err)
	}
	h := f.svc.Handler()
	if h.Name() != calls.HandlerName {
		t.Fatalf("handler name %q", h.Name())
	}
	for _, e := range f.store.Events(visit.StreamName(adm.VisitID)) {
		if err := h.Handle(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if why, ok := f.relay.closedWith(adm.CallID.String()); !ok || why != calls.ReasonCompleted {
		t.Fatalf("room closed %v with %s, want completed", ok, why)
	}
	if _, err := f.svc.IssueToken(ctx, f.clerk, calls.IssueToken{VisitID: adm.VisitID}); !errors.Is(err, calls.ErrNotAdmitted) {
		t.Fatalf("token after the visit ended: %v, want ErrNotAdmitted", err)
	}
}

func TestConfigValidation(t *testing.T) {
	_, err := calls.New(calls.Config{TokenTTL: -1})
	if err == nil {
		t.Fatal("empty config accepted")
	}
	for _, want := range []string{"store", "Tokens", "Relay", "negative"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestConcurrentInvitationsMakeNoThirdGuest(t *testing.T) {
	f := setup(t, nil)
	adm, _ := f.admitted(t)
	var wg sync.WaitGroup
	var ok, full atomic.Int32
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.InviteGuest(context.Background(), f.clerk, calls.InviteGuest{VisitID: adm.VisitID, Role: calls.RoleColleague})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, calls.ErrTooManyGuests):
				full.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != calls.DefaultMaxGuests || full.Load() != 8-calls.DefaultMaxGuests {
		t.Fatalf("%d invited, %d refused; want %d and %d", ok.Load(), full.Load(), calls.DefaultMaxGuests, 8-calls.DefaultMaxGuests)
	}
}
