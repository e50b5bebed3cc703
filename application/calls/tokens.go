package calls

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/domain"
)

// JoinTokenPrefix starts every join token, so a leaked one is easy to
// recognise (secret scanners) and never taken for a session or capability
// token.
const JoinTokenPrefix = "bbj_"

// tokenBytes is the entropy of every token: 256 bits.
const tokenBytes = 32

// maxTokenLen bounds a presented token before it is hashed.
const maxTokenLen = 128

type tokenHash [sha256.Size]byte

func hashOf(token string) tokenHash { return sha256.Sum256([]byte(token)) }

// newToken draws a token from random.
func newToken(random io.Reader, prefix string) (string, tokenHash, error) {
	var b [tokenBytes]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", tokenHash{}, fmt.Errorf("calls: drawing a token: %w", err)
	}
	t := prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return t, hashOf(t), nil
}

// presented hashes a token a client presented, refusing what cannot be
// one of ours.
func presented(token, prefix string) (tokenHash, bool) {
	if len(token) > maxTokenLen || !strings.HasPrefix(token, prefix) {
		return tokenHash{}, false
	}
	return hashOf(token), true
}

// grant is what a join token allows.
type grant struct {
	visit       domain.VisitID
	room        string
	role        Role
	participant string
	expires     time.Time
}

// seat is what a spent join token still allows: renegotiating and leaving
// as the participant it created.
type seat struct {
	visit       domain.VisitID
	room        string
	role        Role
	participant string
}

// tokenStore keeps the hashes of outstanding join tokens and of the spent
// ones of joined participants. All methods lock.
type tokenStore struct {
	mu    sync.Mutex
	max   int
	join  map[tokenHash]grant
	slot  map[string]tokenHash // room/role → the one outstanding citizen or clerk token
	seats map[tokenHash]seat
	byPID map[string]tokenHash // room/participant → its spent join token
}

func newTokenStore(max int) *tokenStore {
	return &tokenStore{max: max, join: map[tokenHash]grant{}, slot: map[string]tokenHash{}, seats: map[tokenHash]seat{}, byPID: map[string]tokenHash{}}
}

// add keeps a join token. A citizen or clerk token replaces the older
// outstanding one of its call. When the store is full after dropping
// expired tokens it refuses with ErrBusy.
func (s *tokenStore) add(h tokenHash, g grant, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := g.room + "/" + g.role.String()
	if !g.role.IsGuest() {
		if old, ok := s.slot[key]; ok {
			delete(s.join, old)
			delete(s.slot, key)
		}
	}
	if len(s.join)+len(s.seats) >= s.max {
		s.purge(now)
		if len(s.join)+len(s.seats) >= s.max {
			return ErrBusy
		}
	}
	s.join[h] = g
	if !g.role.IsGuest() {
		s.slot[key] = h
	}
	return nil
}

// purge drops expired join tokens; s.mu held.
func (s *tokenStore) purge(now time.Time) {
	for h, g := range s.join {
		if !now.Before(g.expires) {
			s.drop(h, g)
		}
	}
}

// drop removes a join token; s.mu held.
func (s *tokenStore) drop(h tokenHash, g grant) {
	delete(s.join, h)
	key := g.room + "/" + g.role.String()
	if s.slot[key] == h {
		delete(s.slot, key)
	}
}

// take redeems a join token for visit: once only, before it expires.
func (s *tokenStore) take(h tokenHash, visit domain.VisitID, now time.Time) (grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.join[h]
	if !ok || g.visit != visit {
		return grant{}, false
	}
	s.drop(h, g)
	return g, now.Before(g.expires)
}

// peek checks a join token for visit without spending it.
func (s *tokenStore) peek(h tokenHash, visit domain.VisitID, now time.Time) (grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.join[h]
	return g, ok && g.visit == visit && now.Before(g.expires)
}

// guests counts a room's guests: invited (an unexpired token) or joined
// (a seat, taken before the relay is asked and given up when the relay
// reports them gone).
func (s *tokenStore) guests(room string, now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, g := range s.join {
		if g.room == room && g.role.IsGuest() && now.Before(g.expires) {
			n++
		}
	}
	for _, st := range s.seats {
		if st.room == room && st.role.IsGuest() {
			n++
		}
	}
	return n
}

// seat keeps a spent join token as its participant's credential.
func (s *tokenStore) seat(h tokenHash, st seat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seats[h] = st
	s.byPID[st.room+"/"+st.participant] = h
}

// seated checks a spent join token for the participant of visit.
func (s *tokenStore) seated(h tokenHash, visit domain.VisitID, participant string) (seat, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.seats[h]
	return st, ok && st.visit == visit && st.participant == participant
}

// unseat forgets a participant's credential (it left).
func (s *tokenStore) unseat(room, participant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := room + "/" + participant
	if h, ok := s.byPID[key]; ok {
		delete(s.seats, h)
		delete(s.byPID, key)
	}
}

// revoke forgets every token of a room (its call ended).
func (s *tokenStore) revoke(room string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, g := range s.join {
		if g.room == room {
			s.drop(h, g)
		}
	}
	for h, st := range s.seats {
		if st.room == room {
			delete(s.seats, h)
			delete(s.byPID, st.room+"/"+st.participant)
		}
	}
}

// size is the number of tokens kept, for tests and metrics.
func (s *tokenStore) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.join) + len(s.seats)
}
