package calls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// Defaults of Config.
const (
	DefaultTokenTTL      = 2 * time.Minute
	DefaultGuestTokenTTL = 10 * time.Minute
	DefaultMaxTokens     = 10_000
	DefaultMaxGuests     = 2
	// DefaultRecordTimeout bounds each event-store write the relay's
	// callbacks cause.
	DefaultRecordTimeout = 10 * time.Second
)

// Config is what New needs. Env, Tokens and Relay are required.
type Config struct {
	// Env is the application's store, clock and IDs; IDs.Random() is the
	// source of the tokens' randomness (crypto/rand in production).
	Env command.Env
	// Tokens derive the citizens' visit capability tokens
	// (application.Application.Tokens); the service checks them again.
	Tokens command.Tokens
	Relay  Relay
	// TokenTTL is the lifetime of citizen and clerk join tokens;
	// GuestTokenTTL of guest links.
	TokenTTL, GuestTokenTTL time.Duration
	// MaxTokens bounds the join and participant tokens kept in memory.
	MaxTokens int
	// MaxGuests is how many guests a call may have, invited or present.
	MaxGuests int
	// RecordTimeout bounds each write a relay callback causes.
	RecordTimeout time.Duration
	// Logger receives failures to record call events (IDs only, never
	// personal data); default: discard.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.TokenTTL == 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.GuestTokenTTL == 0 {
		c.GuestTokenTTL = DefaultGuestTokenTTL
	}
	if c.MaxTokens == 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.MaxGuests == 0 {
		c.MaxGuests = DefaultMaxGuests
	}
	if c.RecordTimeout == 0 {
		c.RecordTimeout = DefaultRecordTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports every problem at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if err := c.Env.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Tokens == nil {
		errs = append(errs, errors.New("calls: Tokens are required"))
	}
	if c.Relay == nil {
		errs = append(errs, errors.New("calls: Relay is required"))
	}
	if c.TokenTTL < 0 || c.GuestTokenTTL < 0 || c.RecordTimeout < 0 {
		errs = append(errs, errors.New("calls: negative TokenTTL, GuestTokenTTL or RecordTimeout"))
	}
	if c.MaxTokens < 0 || c.MaxGuests < 0 {
		errs = append(errs, errors.New("calls: negative MaxTokens or MaxGuests"))
	}
	return errors.Join(errs...)
}

// Service issues join tokens, admits participants to the relay and records
// the calls' lifecycle. It is safe for concurrent use.
type Service struct {
	cfg    Config
	relay  Relay
	tokens *tokenStore
	random io.Reader
	visits *command.Repository[*visit.Visit]

	startCall visits.StartCallHandler
	endVisit  visits.EndVisitHandler
	startCase cases.StartCaseCallHandler
	endCase   cases.EndCaseCallHandler
	record    cases.RecordCallParticipantHandler

	mu    sync.Mutex
	rooms map[string]*room // by room (call ID)
	// guestMu serialises guest invitations.
	guestMu sync.Mutex
}

// room is what this instance knows of one call it relays.
type room struct {
	visit   domain.VisitID
	caseID  domain.CaseID
	call    domain.CallID
	present map[string]Role // participant → role, as the relay reported
	started bool
	ending  bool
	// citizenGone is how the citizen last left (zero while present or
	// before they joined).
	citizenGone Reason
}

// New validates cfg and builds the service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	cd := cases.Deps{Env: cfg.Env, Tokens: cfg.Tokens}
	vd := visits.Deps{Env: cfg.Env, Tokens: cfg.Tokens, Cases: cd}
	s := &Service{
		cfg: cfg, relay: cfg.Relay, tokens: newTokenStore(cfg.MaxTokens), random: cfg.Env.IDs.Random(),
		rooms: map[string]*room{},
	}
	var errs []error
	var err error
	if s.visits, err = command.NewRepository(cfg.Env.Store, visit.FromEvents, cfg.Env.IDs, command.RepositoryOptions{}); err != nil {
		errs = append(errs, err)
	}
	if s.startCall, err = visits.NewStartCallHandler(vd); err != nil {
		errs = append(errs, err)
	}
	if s.endVisit, err = visits.NewEndVisitHandler(vd); err != nil {
		errs = append(errs, err)
	}
	if s.startCase, err = cases.NewStartCaseCallHandler(cd); err != nil {
		errs = append(errs, err)
	}
	if s.endCase, err = cases.NewEndCaseCallHandler(cd); err != nil {
		errs = append(errs, err)
	}
	if s.record, err = cases.NewRecordCallParticipantHandler(cd); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// Token is an issued join token. Token is the secret: hand it to its
// holder only, never log it.
type Token struct {
	Token         string
	VisitID       domain.VisitID
	Role          Role
	ParticipantID string
	ExpiresAt     time.Time
}

// IssueToken asks for a join token of a visit's call.
type IssueToken struct {
	VisitID domain.VisitID
	// VisitToken is the citizen's visit capability token (citizens only).
	VisitToken string
}

// IssueToken gives the citizen (with the visit's capability token) or the
// admitting clerk their join token, once the visit is admitted. It opens
// the call's room on this instance. A newer token of the same holder
// replaces the older one.
func (s *Service) IssueToken(ctx context.Context, c command.Context, cmd IssueToken) (Token, error) {
	if err := c.Validate(); err != nil {
		return Token{}, err
	}
	var role Role
	switch c.Actor.Role() {
	case domain.RoleCitizen:
		if err := command.CheckToken(cmd.VisitToken, visits.Token(s.cfg.Tokens, cmd.VisitID)); err != nil {
			return Token{}, err
		}
		role = RoleCitizen
	case domain.RoleClerk:
		role = RoleClerk
	default:
		return Token{}, command.ErrWrongRole
	}
	v, err := s.admitted(ctx, cmd.VisitID)
	if err != nil {
		return Token{}, err
	}
	if role == RoleClerk {
		if err := s.requireAdmittingClerk(c, v); err != nil {
			return Token{}, err
		}
	}
	return s.issue(v, role, s.cfg.TokenTTL)
}

// InviteGuest asks for a guest link of a visit's call.
type InviteGuest struct {
	VisitID domain.VisitID
	Role    Role // RoleInterpreter or RoleColleague
}

// InviteGuest lets the admitting clerk invite an interpreter or a colleague
// with a single-use join token of their own; at most Config.MaxGuests
// guests are invited or in the call at once.
func (s *Service) InviteGuest(ctx context.Context, c command.Context, cmd InviteGuest) (Token, error) {
	if !cmd.Role.IsGuest() {
		return Token{}, domain.Wrapf(ErrInvalidRole, "a guest is an interpreter or a colleague")
	}
	if _, err := command.ClerkOf(c); err != nil {
		return Token{}, err
	}
	v, err := s.admitted(ctx, cmd.VisitID)
	if err != nil {
		return Token{}, err
	}
	if err := s.requireAdmittingClerk(c, v); err != nil {
		return Token{}, err
	}
	s.guestMu.Lock() // count and issue at once: two clicks make no third guest
	defer s.guestMu.Unlock()
	if s.tokens.guests(v.Call().String(), s.now()) >= s.cfg.MaxGuests {
		return Token{}, ErrTooManyGuests
	}
	return s.issue(v, cmd.Role, s.cfg.GuestTokenTTL)
}

func (s *Service) issue(v *visit.Visit, role Role, ttl time.Duration) (Token, error) {
	if err := s.openRoom(v); err != nil {
		return Token{}, err
	}
	tok, h, err := newToken(s.random, JoinTokenPrefix)
	if err != nil {
		return Token{}, err
	}
	now := s.now()
	g := grant{visit: v.ID(), room: v.Call().String(), role: role, participant: s.cfg.Env.IDs.NewUUID().String(), expires: now.Add(ttl)}
	if err := s.tokens.add(h, g, now); err != nil {
		return Token{}, err
	}
	return Token{Token: tok, VisitID: g.visit, Role: role, ParticipantID: g.participant, ExpiresAt: g.expires}, nil
}

// admitted loads a visit that is admitted or in its call.
func (s *Service) admitted(ctx context.Context, id domain.VisitID) (*visit.Visit, error) {
	if err := domain.RequireID("visit id", id); err != nil {
		return nil, err
	}
	l, err := s.visits.Load(ctx, visit.StreamName(id))
	if err != nil {
		return nil, err
	}
	v := l.Aggregate
	if st := v.Status(); (st != visit.StatusAdmitted && st != visit.StatusInCall) || v.Call().IsZero() {
		return nil, ErrNotAdmitted
	}
	return v, nil
}

func (s *Service) requireAdmittingClerk(c command.Context, v *visit.Visit) error {
	clerk, err := command.ClerkOf(c)
	if err != nil {
		return err
	}
	if clerk != v.Clerk() {
		return ErrNotAdmittingClerk
	}
	return nil
}

// openRoom opens the visit's room on the relay unless this instance has.
func (s *Service) openRoom(v *visit.Visit) error {
	rm := v.Call().String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rooms[rm]; ok {
		return nil
	}
	switch err := s.relay.OpenRoom(rm); {
	case errors.Is(err, ErrRoomExists), err == nil:
	case errors.Is(err, ErrCallEnded):
		return err
	default:
		return fmt.Errorf("calls: opening the room of visit %s: %w", v.ID(), err)
	}
	caseID, _ := v.Case()
	s.rooms[rm] = &room{visit: v.ID(), caseID: caseID, call: v.Call(), present: map[string]Role{}}
	return nil
}

// Join is a participant's WHIP-style offer with their join token.
type Join struct {
	VisitID    domain.VisitID
	Token      string
	OfferSDP   string
	ClientAddr netip.Addr
}

// Joined is the relay's answer.
type Joined struct {
	ParticipantID string
	Role          Role
	AnswerSDP     string
}

// Join spends the join token and joins its holder to the call: a forged,
// expired, spent or foreign token is ErrUnauthorized and reaches no relay.
// The token is spent even if the relay then refuses the offer. From then
// on it authorises only the participant it created (renegotiate, leave),
// as a WHIP session's bearer token authorises its resource.
func (s *Service) Join(ctx context.Context, cmd Join) (Joined, error) {
	h, ok := presented(cmd.Token, JoinTokenPrefix)
	if !ok {
		return Joined{}, ErrUnauthorized
	}
	g, ok := s.tokens.take(h, cmd.VisitID, s.now())
	if !ok {
		return Joined{}, ErrUnauthorized
	}
	if strings.TrimSpace(cmd.OfferSDP) == "" {
		return Joined{}, ErrInvalidOffer
	}
	// Seat before joining: the relay may report the participant gone (and
	// unseat it) before Join returns.
	s.tokens.seat(h, seat{visit: g.visit, room: g.room, role: g.role, participant: g.participant})
	res, err := s.relay.Join(ctx, JoinRequest{Room: g.room, Role: g.role, ClientAddr: cmd.ClientAddr, OfferSDP: cmd.OfferSDP, Participant: g.participant})
	if err != nil {
		s.tokens.unseat(g.room, g.participant)
		return Joined{}, err
	}
	return Joined{ParticipantID: res.Participant, Role: g.role, AnswerSDP: res.AnswerSDP}, nil
}

// ParticipantRequest names a joined participant and carries the join
// token that created it.
type ParticipantRequest struct {
	VisitID       domain.VisitID
	ParticipantID string
	Token         string
}

func (s *Service) seated(p ParticipantRequest) (seat, error) {
	h, ok := presented(p.Token, JoinTokenPrefix)
	if !ok {
		return seat{}, ErrUnauthorized
	}
	st, ok := s.tokens.seated(h, p.VisitID, p.ParticipantID)
	if !ok {
		return seat{}, ErrUnauthorized
	}
	return st, nil
}

// Renegotiate answers a joined participant's new offer (screen share).
func (s *Service) Renegotiate(ctx context.Context, p ParticipantRequest, offerSDP string) (string, error) {
	st, err := s.seated(p)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(offerSDP) == "" {
		return "", ErrInvalidOffer
	}
	return s.relay.Renegotiate(ctx, st.room, st.participant, offerSDP)
}

// Leave removes a joined participant from the call.
func (s *Service) Leave(_ context.Context, p ParticipantRequest) error {
	st, err := s.seated(p)
	if err != nil {
		return err
	}
	s.tokens.unseat(st.room, st.participant)
	if err := s.relay.Leave(st.room, st.participant); err != nil && !errors.Is(err, ErrUnknownParticipant) {
		return err
	}
	return nil
}

// ICEServers returns the TURN servers, with credentials for the holder of
// an unspent join token, to configure the peer connection before the
// offer; without TURN the list is empty. The token is not spent.
func (s *Service) ICEServers(_ context.Context, id domain.VisitID, token string) ([]ICEServer, error) {
	h, ok := presented(token, JoinTokenPrefix)
	if !ok {
		return nil, ErrUnauthorized
	}
	g, ok := s.tokens.peek(h, id, s.now())
	if !ok {
		return nil, ErrUnauthorized
	}
	servers, err := s.relay.ICEServers(g.participant)
	if errors.Is(err, ErrNoTURN) {
		return []ICEServer{}, nil
	}
	return servers, err
}

func (s *Service) now() time.Time { return s.cfg.Env.Clock.Now() }
