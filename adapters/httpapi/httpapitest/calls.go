package httpapitest

import (
	"context"
	"sync"
	"testing"

	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// OwnToken, as the only entry of an expectation, marks an operation that
// the platform leaves public and that authenticates with a token of its
// own (a call's join token): every principal of the matrix, holding none,
// must get 401.
const OwnToken = "own-token"

// StubRelay stands in for the media relay behind the call routes: it
// answers every offer with "answer for <participant>" and records what it
// was asked. It relays no media.
type StubRelay struct {
	mu     sync.Mutex
	rooms  map[string]bool // open rooms
	Joins  []calls.JoinRequest
	Offers []string // renegotiation offers
	Left   []string
}

// Answer is the SDP answer StubRelay gives participant.
func Answer(participant string) string { return "answer for " + participant }

func (r *StubRelay) OpenRoom(room string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rooms[room] {
		return calls.ErrRoomExists
	}
	r.rooms[room] = true
	return nil
}

func (r *StubRelay) Join(_ context.Context, req calls.JoinRequest) (calls.JoinResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.rooms[req.Room] {
		return calls.JoinResult{}, calls.ErrUnknownRoom
	}
	r.Joins = append(r.Joins, req)
	return calls.JoinResult{Participant: req.Participant, AnswerSDP: Answer(req.Participant)}, nil
}

func (r *StubRelay) Renegotiate(_ context.Context, _, participant, offer string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Offers = append(r.Offers, offer)
	return Answer(participant), nil
}

func (r *StubRelay) Leave(_, participant string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Left = append(r.Left, participant)
	return nil
}

func (r *StubRelay) CloseRoom(room string, _ calls.Reason) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.rooms, room)
	return nil
}

func (r *StubRelay) ICEServers(string) ([]calls.ICEServer, error) { return nil, calls.ErrNoTURN }

// JoinCount is the number of offers that reached the relay.
func (r *StubRelay) JoinCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.Joins)
}

// newCalls builds the calls service of the harness on the stub relay.
func newCalls(t testing.TB, store eventlog.Store, tokens command.Tokens, clock *Clock) (*calls.Service, *StubRelay) {
	t.Helper()
	relay := &StubRelay{rooms: map[string]bool{}}
	svc, err := calls.New(calls.Config{
		Env:    command.Env{Store: store, Clock: command.ClockFunc(clock.Now), IDs: command.CryptoIDs{}},
		Tokens: tokens, Relay: relay,
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc, relay
}
