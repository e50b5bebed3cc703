package webbridge

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application"
	"github.com/buergerbuero/buergerbuero/application/calls"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// ReadProgress is the read side's progress in $all; *eventbus.Bus
// implements it.
type ReadProgress interface {
	WaitFor(ctx context.Context, p eventlog.Position) error
}

// CallTokens issues join tokens for a visit's call; *calls.Service
// implements it.
type CallTokens interface {
	IssueToken(ctx context.Context, c command.Context, cmd calls.IssueToken) (calls.Token, error)
}

// Deps are what the bridge needs. App, Models, Notifier, Staff, Store,
// Progress and Codes are required; Calls is optional (without it the call
// pages get no join token and the relay refuses them).
type Deps struct {
	App      *application.Application
	Models   *readmodel.Models
	Notifier readside.ChangeNotifier // the notifier the read models were built with
	Staff    *appstaff.Service
	// Store reads what the read models keep out on purpose: display names,
	// clerks' messages, notes, services and hours of an office.
	Store    eventlog.Store
	Progress ReadProgress
	// Codes resolves appointment confirmation codes; it must also run as a
	// read-side handler on the bus (see NewCodeIndex).
	Codes *CodeIndex
	Calls CallTokens
	// CallBase is the JSON API's base path (default "/api/v1"); the call
	// pages post their offer to CallBase + "/visits/{id}/call/participants"
	// (the API's join-call route).
	CallBase string
	// Now is the clock of the read-model queries (default time.Now); give
	// it the application's clock.
	Now func() time.Time
	// ReadYourWrites bounds the wait for the read side after a command
	// (default 2s); after it the page shows what the read models hold.
	ReadYourWrites time.Duration
	// Logger receives internal errors of live views (IDs only).
	Logger *slog.Logger
}

// Validate reports every missing dependency at once.
func (d Deps) Validate() error {
	var errs []error
	need := func(ok bool, name string) {
		if !ok {
			errs = append(errs, errors.New("webbridge: "+name+" is required"))
		}
	}
	need(d.App != nil, "App")
	need(d.Models != nil, "Models")
	need(d.Notifier != nil, "Notifier")
	need(d.Staff != nil, "Staff")
	need(d.Store != nil, "Store")
	need(d.Progress != nil, "Progress")
	need(d.Codes != nil, "Codes")
	if d.ReadYourWrites < 0 {
		errs = append(errs, errors.New("webbridge: ReadYourWrites must not be negative"))
	}
	return errors.Join(errs...)
}

type bridge struct {
	Deps
	version atomic.Uint64
}

// New returns every web port implemented over the application.
func New(d Deps) (web.Ports, error) {
	if err := d.Validate(); err != nil {
		return web.Ports{}, err
	}
	if d.CallBase == "" {
		d.CallBase = "/api/v1"
	}
	d.CallBase = strings.TrimRight(d.CallBase, "/")
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ReadYourWrites == 0 {
		d.ReadYourWrites = 2 * time.Second
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	b := &bridge{Deps: d}
	// Live views number their states; browsers resume with the last number
	// they saw. Starting from the boot time in microseconds keeps numbers
	// growing across restarts, so a reconnecting page never skips states.
	b.version.Store(uint64(d.Now().UnixMicro()))
	return web.Ports{
		Offices: officesPort{b}, Visits: visitsPort{b}, Appointments: appointmentsPort{b}, CitizenCases: citizenCases{b},
		Desk: desk{b}, Cases: casesPort{b}, Audit: auditPort{b}, Admin: admin{b},
	}, nil
}

// nextVersion numbers the states live views send.
func (b *bridge) nextVersion() uint64 { return b.version.Add(1) }

// settle waits until the read side applied p, at most ReadYourWrites.
func (b *bridge) settle(ctx context.Context, p eventlog.Position) {
	if p == (eventlog.Position{}) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, b.ReadYourWrites)
	defer cancel()
	_ = b.Progress.WaitFor(ctx, p)
}

// until waits, at most ReadYourWrites, for ok to hold, re-checking on every
// change that matches f. It subscribes before the first check, so a change
// between the check and the subscription is not missed.
func (b *bridge) until(ctx context.Context, f readside.Filter, ok func() bool) {
	ch, cancel := b.Notifier.Subscribe(f)
	defer cancel()
	t := time.NewTimer(b.ReadYourWrites)
	defer t.Stop()
	for !ok() {
		select {
		case <-ch:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// watch runs a live view: it sends view() whenever a change matching f
// arrives, until ctx ends; then the channel is closed.
func watch[T any](b *bridge, ctx context.Context, f readside.Filter, view func(context.Context) (T, bool)) <-chan T {
	ch, cancel := b.Notifier.Subscribe(f)
	out := make(chan T, 8)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case _, open := <-ch:
				if !open {
					return
				}
				v, ok := view(ctx)
				if !ok {
					continue
				}
				offer(out, v)
			}
		}
	}()
	return out
}

// offer sends v without blocking: when a slow reader let the buffer fill,
// the oldest state gives way, so the reader always ends with the newest.
// The caller is the channel's only sender.
func offer[T any](out chan T, v T) {
	select {
	case out <- v:
		return
	default:
	}
	select {
	case <-out:
	default:
	}
	select {
	case out <- v:
	default:
	}
}

func notFound(what string) error { return domain.NotFound("not_found", what+" not found") }

func invalid(what string) error { return domain.Invalid("invalid_"+what, "invalid "+what) }

// idOf parses a typed ID with parse; a malformed one is "not found", as the
// pages only ever link to IDs that exist.
func idOf[I any](parse func(string) (I, error), s, what string) (I, error) {
	id, err := parse(s)
	if err != nil {
		var zero I
		return zero, notFound(what)
	}
	return id, nil
}

// loadEvents loads a stream's domain events; a missing stream is not found.
func (b *bridge) loadEvents(ctx context.Context, stream, what string) ([]eventlog.RecordedEvent, error) {
	evs, err := b.Store.Load(ctx, stream)
	if errors.Is(err, eventlog.ErrStreamNotFound) {
		return nil, notFound(what)
	}
	return evs, err
}

func domainEvents(evs []eventlog.RecordedEvent) []domain.Event {
	out := make([]domain.Event, len(evs))
	for i, e := range evs {
		out[i] = e.Event
	}
	return out
}

// office loads an office aggregate.
func (b *bridge) office(ctx context.Context, id domain.OfficeID) (*office.Office, error) {
	evs, err := b.loadEvents(ctx, office.StreamName(id), "office")
	if err != nil {
		return nil, err
	}
	return office.FromEvents(domainEvents(evs))
}

// --- command contexts -------------------------------------------------

func citizenCtx(subject string) command.Context {
	a, _ := domain.NewActor(domain.RoleCitizen, subject)
	return command.Context{Actor: a}
}

func userID(p web.Principal) (staff.UserID, error) {
	id, err := domain.ParseID[staff.UserID](p.ID)
	if err != nil {
		return staff.UserID{}, domain.Forbidden("not_signed_in", "not signed in")
	}
	return id, nil
}

func clerkID(p web.Principal) (domain.ClerkID, error) {
	id, err := userID(p)
	if err != nil {
		return domain.ClerkID{}, err
	}
	return domain.IDFrom[domain.ClerkID](id.UUID()), nil
}

// account re-reads a signed-in staff member's account, so a role or office
// taken away since sign-in takes effect at once.
func (b *bridge) account(ctx context.Context, p web.Principal, role staff.Role) (appstaff.Account, error) {
	id, err := userID(p)
	if err != nil {
		return appstaff.Account{}, err
	}
	acc, err := b.Staff.Get(ctx, id)
	if err != nil {
		if errors.Is(err, staff.ErrNotFound) {
			return appstaff.Account{}, domain.Forbidden("not_signed_in", "no such account")
		}
		return appstaff.Account{}, err
	}
	if acc.Disabled || !acc.HasRole(role) {
		return appstaff.Account{}, domain.Forbidden("wrong_role", "the account may not do this")
	}
	return acc, nil
}

// clerk returns the command context of a clerk serving officeID.
func (b *bridge) clerk(ctx context.Context, p web.Principal, officeID domain.OfficeID) (command.Context, error) {
	acc, err := b.account(ctx, p, staff.RoleClerk)
	if err != nil {
		return command.Context{}, err
	}
	if !officeID.IsZero() && !slices.Contains(acc.Offices, officeID) {
		return command.Context{}, domain.Forbidden("not_assigned", "the clerk does not serve this office")
	}
	return command.Context{Actor: domain.ClerkActor(domain.IDFrom[domain.ClerkID](acc.ID.UUID()))}, nil
}

func (b *bridge) auditor(ctx context.Context, p web.Principal) (command.Context, error) {
	acc, err := b.account(ctx, p, staff.RoleAuditor)
	if err != nil {
		return command.Context{}, err
	}
	a, err := domain.NewActor(domain.RoleAuditor, acc.ID.String())
	return command.Context{Actor: a}, err
}

func (b *bridge) admin(ctx context.Context, p web.Principal) (command.Context, error) {
	acc, err := b.account(ctx, p, staff.RoleAdmin)
	if err != nil {
		return command.Context{}, err
	}
	return command.Context{Actor: appstaff.AdminActor(acc.ID)}, nil
}

// primaryRole is the one role a web session carries: the pages of one role
// at a time (clerk before auditor before admin).
func primaryRole(roles []staff.Role) string {
	for _, r := range []staff.Role{staff.RoleClerk, staff.RoleAuditor, staff.RoleAdmin} {
		if slices.Contains(roles, r) {
			return r.String()
		}
	}
	return ""
}

func officeStrings(ids []domain.OfficeID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

func officeFilter(id domain.OfficeID) readside.Filter { return readside.Filter{OfficeID: id} }
