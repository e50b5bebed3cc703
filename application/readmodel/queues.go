package readmodel

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/queue"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// WaitingVisit is one place in an office queue.
type WaitingVisit struct {
	queue.Place
	ServiceID domain.ServiceID
	// Present is false while the citizen's waiting page is gone.
	Present bool
}

// QueueView is an office queue at one instant.
type QueueView struct {
	OfficeID domain.OfficeID
	// Serving is the number of clerks on duty and not paused.
	Serving     int
	AverageCall time.Duration
	Waiting     []WaitingVisit
}

// VisitView is a visit as its citizen's page and the clerk see it.
type VisitView struct {
	VisitID       domain.VisitID
	OfficeID      domain.OfficeID
	ServiceID     domain.ServiceID
	AppointmentID domain.AppointmentID
	Status        visit.Status
	KnockedAt     time.Time
	Present       bool
	ClerkID       domain.ClerkID // while admitted or in call
	CaseID        domain.CaseID
	CaseReference casefile.Reference
	CallID        domain.CallID
	FinishedAt    time.Time
	// MessagesSent counts the clerks' messages to the citizen (the texts
	// stay in the visit stream).
	MessagesSent int
	// Place is set while the visit waits.
	Place *queue.Place
}

// Queues is the queue read model (projection "QueueProjection"). Visits
// that ended (any final status) are kept for the retention period after
// they finished, so a citizen's page can still show the outcome, and are
// dropped by Tick after that.
type Queues struct {
	notify    readside.ChangeNotifier
	window    appointment.CheckInWindow
	retention time.Duration

	mu      sync.RWMutex
	tr      readside.Tracker
	gen     uint64 // counts applied events; a snapshot of an older one is stale
	visits  map[domain.VisitID]*visitState
	offices map[domain.OfficeID]*queueOffice
}

type visitState struct {
	VisitView
	slot time.Time
}

type queueOffice struct {
	waiting map[domain.VisitID]struct{}
	active  map[domain.VisitID]struct{} // admitted or in a call
	clerks  roster
	recent  []time.Duration // newest last, at most queue.RecentCalls
	shown   []domain.VisitID
	// snap is the last ordered view, reused while gen is unchanged and
	// every appointment is still (or still not) due.
	snap atomic.Pointer[QueueSnapshot]
}

// QueueSnapshot is an office queue in serving order, shared by every reader
// while the model has not changed and no appointment's check-in window has
// opened or closed since it was ordered: the same pointer then stands for
// the same queue. Read-only.
type QueueSnapshot struct {
	View QueueView
	gen  uint64
}

var _ readside.Handler = (*Queues)(nil)

// NewQueues returns an empty queue read model ordering with the check-in
// window w (appointment.DefaultCheckInWindow when zero); notify may be nil.
func NewQueues(notify readside.ChangeNotifier, w appointment.CheckInWindow) *Queues {
	if w.IsZero() {
		w = appointment.DefaultCheckInWindow()
	}
	return &Queues{notify: notifierOr(notify), window: w, retention: DefaultRetention, visits: map[domain.VisitID]*visitState{}, offices: map[domain.OfficeID]*queueOffice{}}
}

// DefaultRetention is how long finished visits stay in the queue model.
const DefaultRetention = 48 * time.Hour

// Name implements readside.Handler.
func (q *Queues) Name() string { return "QueueProjection" }

// Handle implements readside.Handler.
func (q *Queues) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	changes := func() []readside.Change {
		q.mu.Lock()
		defer q.mu.Unlock() // also when apply panics: the router recovers and retries
		if q.tr.Seen(e.Position) {
			return nil
		}
		var ch changeSet
		q.gen++ // before apply: a panic halfway must not leave a snapshot current
		q.apply(e.Event, &ch)
		q.tr.Mark(e.Position) // not on a panic: the retry applies it again
		if !listening(q.notify) {
			return nil
		}
		return ch.build(q, e.Position)
	}()
	notifyAll(q.notify, changes)
	return nil
}

// changeSet collects what one event moved.
type changeSet struct {
	queues []domain.OfficeID // offices whose queue moved (every waiting visit is told)
	visits []*visitState     // visits whose own status moved
}

func (c changeSet) build(q *Queues, p eventlog.Position) []readside.Change {
	var out []readside.Change
	for _, v := range c.visits {
		out = append(out, readside.Change{Kind: readside.KindVisit, OfficeID: v.OfficeID, VisitID: v.VisitID, Position: p})
	}
	seen := map[domain.OfficeID]bool{}
	for _, id := range c.queues {
		if !seen[id] {
			seen[id] = true
			out = append(out, q.queueChanges(id, p)...)
		}
	}
	return out
}

// queueChanges tells an office and each visit waiting there that the queue moved.
func (q *Queues) queueChanges(id domain.OfficeID, p eventlog.Position) []readside.Change {
	o := q.offices[id]
	if o == nil {
		return []readside.Change{{Kind: readside.KindQueue, OfficeID: id, Position: p}}
	}
	out := make([]readside.Change, 1, 1+len(o.waiting))
	out[0] = readside.Change{Kind: readside.KindQueue, OfficeID: id, Position: p}
	for v := range o.waiting {
		out = append(out, readside.Change{Kind: readside.KindQueue, OfficeID: id, VisitID: v, Position: p})
	}
	return out
}

func (q *Queues) office(id domain.OfficeID) *queueOffice {
	o, ok := q.offices[id]
	if !ok {
		o = &queueOffice{waiting: map[domain.VisitID]struct{}{}, active: map[domain.VisitID]struct{}{}, clerks: roster{}}
		q.offices[id] = o
	}
	return o
}

func (q *Queues) apply(ev domain.Event, ch *changeSet) {
	switch e := ev.(type) {
	case office.ClerkWentOnDuty, office.ClerkPaused, office.ClerkResumed, office.ClerkWentOffDuty:
		id := officeOf(e)
		q.office(id).clerks.apply(e)
		ch.queues = append(ch.queues, id) // the estimated waits move
	case office.ClerkCallStarted:
		q.office(e.OfficeID).clerks.apply(e)
	case office.ClerkCallEnded:
		q.office(e.OfficeID).clerks.apply(e)
	case visit.VisitKnocked:
		v := &visitState{VisitView: VisitView{
			VisitID: e.VisitID, OfficeID: e.OfficeID, ServiceID: e.ServiceID, AppointmentID: e.AppointmentID,
			Status: visit.StatusWaiting, KnockedAt: e.KnockedAt, Present: true,
		}, slot: e.AppointmentSlot}
		q.visits[e.VisitID] = v
		q.office(e.OfficeID).waiting[e.VisitID] = struct{}{}
		ch.visits = append(ch.visits, v)
		ch.queues = append(ch.queues, e.OfficeID)
	case visit.VisitPresenceLost:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool { v.Present = false; return v.Status == visit.StatusWaiting })
	case visit.VisitPresenceRegained:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool { v.Present = true; return v.Status == visit.StatusWaiting })
	case visit.VisitExpired:
		q.finish(e.VisitID, visit.StatusExpired, e.ExpiredAt, ch)
	case visit.VisitWithdrawn:
		q.finish(e.VisitID, visit.StatusWithdrawn, e.WithdrawnAt, ch)
	case visit.VisitDeclined:
		q.finish(e.VisitID, visit.StatusDeclined, e.DeclinedAt, ch)
	case visit.VisitReferred:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool {
			delete(q.office(v.OfficeID).waiting, v.VisitID)
			ch.queues = append(ch.queues, v.OfficeID)
			v.OfficeID, v.ServiceID = e.ToOfficeID, e.ToServiceID
			q.office(v.OfficeID).waiting[v.VisitID] = struct{}{}
			return true
		})
	case visit.VisitMessageSent:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool { v.MessagesSent++; return false })
	case visit.VisitAdmitted:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool {
			delete(q.office(v.OfficeID).waiting, v.VisitID)
			q.office(v.OfficeID).active[v.VisitID] = struct{}{}
			v.Status, v.ClerkID, v.CaseID, v.CaseReference, v.CallID, v.Present = visit.StatusAdmitted, e.ClerkID, e.CaseID, e.CaseReference, e.CallID, true
			return true
		})
	case visit.VisitCallStarted:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool { v.Status = visit.StatusInCall; return false })
	case visit.VisitCallEnded:
		if v, ok := q.visits[e.VisitID]; ok {
			v.Status = visit.StatusAdmitted
			ch.visits = append(ch.visits, v)
			if e.DurationSeconds > 0 {
				o := q.office(v.OfficeID)
				o.recent = append(o.recent, time.Duration(e.DurationSeconds)*time.Second)
				if len(o.recent) > queue.RecentCalls {
					o.recent = slices.Clone(o.recent[len(o.recent)-queue.RecentCalls:])
				}
				ch.queues = append(ch.queues, v.OfficeID) // the average call moved
			}
		}
	case visit.VisitReturnedToWaitingRoom:
		q.withVisit(e.VisitID, ch, func(v *visitState) bool {
			v.Status, v.ClerkID, v.CallID = visit.StatusWaiting, domain.ClerkID{}, domain.CallID{}
			delete(q.office(v.OfficeID).active, v.VisitID)
			q.office(v.OfficeID).waiting[v.VisitID] = struct{}{}
			return true
		})
	case visit.VisitEnded:
		q.finish(e.VisitID, visit.StatusEnded, e.EndedAt, ch)
	}
}

// withVisit applies f to a known visit; f reports whether its office queue moved.
func (q *Queues) withVisit(id domain.VisitID, ch *changeSet, f func(v *visitState) bool) {
	v, ok := q.visits[id]
	if !ok {
		return
	}
	if f(v) {
		ch.queues = append(ch.queues, v.OfficeID)
	}
	ch.visits = append(ch.visits, v)
}

func (q *Queues) finish(id domain.VisitID, st visit.Status, at time.Time, ch *changeSet) {
	q.withVisit(id, ch, func(v *visitState) bool {
		_, wasWaiting := q.office(v.OfficeID).waiting[id]
		delete(q.office(v.OfficeID).waiting, id)
		delete(q.office(v.OfficeID).active, id)
		v.Status, v.FinishedAt = st, at
		return wasWaiting
	})
}

func officeOf(e domain.Event) domain.OfficeID {
	switch e := e.(type) {
	case office.ClerkWentOnDuty:
		return e.OfficeID
	case office.ClerkPaused:
		return e.OfficeID
	case office.ClerkResumed:
		return e.OfficeID
	case office.ClerkWentOffDuty:
		return e.OfficeID
	}
	return domain.OfficeID{}
}

// Queue returns an office's waiting visits in serving order at now.
func (q *Queues) Queue(id domain.OfficeID, now time.Time) QueueView {
	q.mu.RLock()
	defer q.mu.RUnlock()
	view := q.snapshot(id, now).View
	view.Waiting = slices.Clone(view.Waiting) // the snapshot is shared
	return view
}

// QueueSnapshot is Queue without the copy: the snapshot is shared and must
// not be changed. While the queue at now is the one a previous call
// returned, it returns the same pointer, so callers may key derived data
// (an encoded response) by it.
func (q *Queues) QueueSnapshot(id domain.OfficeID, now time.Time) *QueueSnapshot {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.snapshot(id, now)
}

// queueAt is the ordered view at now; shared, read-only. Callers hold q.mu.
func (q *Queues) queueAt(id domain.OfficeID, now time.Time) QueueView {
	return q.snapshot(id, now).View
}

// snapshot returns the office's cached ordered view if it still holds at
// now, else orders the queue afresh and caches that. The order depends on
// now only through which appointments are due, so the cached view holds
// while no event was applied and each waiting visit's prioritisation at now
// is what it was. Callers hold q.mu (read or write): readers racing to
// store a snapshot store equal ones.
func (q *Queues) snapshot(id domain.OfficeID, now time.Time) *QueueSnapshot {
	o, ok := q.offices[id]
	if !ok {
		return &QueueSnapshot{View: QueueView{OfficeID: id, AverageCall: queue.AverageCall(nil)}, gen: q.gen}
	}
	if s := o.snap.Load(); s != nil && s.gen == q.gen && q.sameDue(s, now) {
		return s
	}
	view := QueueView{OfficeID: id, Serving: o.clerks.serving(), AverageCall: queue.AverageCall(o.recent)}
	entries := make([]queue.Entry, 0, len(o.waiting))
	for vid := range o.waiting {
		v := q.visits[vid]
		entries = append(entries, queue.Entry{VisitID: vid, KnockedAt: v.KnockedAt, AppointmentSlot: v.slot})
	}
	places := queue.Places(entries, now, q.window, o.recent, view.Serving)
	if len(places) > 0 {
		view.Waiting = make([]WaitingVisit, len(places))
		for i, p := range places {
			v := q.visits[p.VisitID]
			view.Waiting[i] = WaitingVisit{Place: p, ServiceID: v.ServiceID, Present: v.Present}
		}
	}
	s := &QueueSnapshot{View: view, gen: q.gen}
	o.snap.Store(s)
	return s
}

// sameDue reports whether every waiting appointment is due at now exactly
// when it was when s was ordered.
func (q *Queues) sameDue(s *QueueSnapshot, now time.Time) bool {
	for i := range s.View.Waiting {
		w := &s.View.Waiting[i]
		if !w.AppointmentSlot.IsZero() && w.Entry.Prioritised(now, q.window) != w.Prioritised {
			return false
		}
	}
	return true
}

// Visit returns a visit with its place in the queue at now while it waits.
func (q *Queues) Visit(id domain.VisitID, now time.Time) (VisitView, bool) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	v, ok := q.visits[id]
	if !ok {
		return VisitView{}, false
	}
	out := v.VisitView
	if v.Status == visit.StatusWaiting {
		for _, w := range q.queueAt(v.OfficeID, now).Waiting {
			if w.VisitID == id {
				p := w.Place
				out.Place = &p
				break
			}
		}
	}
	return out, true
}

// Offices lists the offices the queue model knows, ordered by ID.
func (q *Queues) Offices() []domain.OfficeID {
	q.mu.RLock()
	defer q.mu.RUnlock()
	out := make([]domain.OfficeID, 0, len(q.offices))
	for id := range q.offices {
		out = append(out, id)
	}
	slices.SortFunc(out, compareIDs)
	return out
}

// Visits lists every visit ID the model knows, ordered by ID.
func (q *Queues) Visits() []domain.VisitID {
	q.mu.RLock()
	defer q.mu.RUnlock()
	out := make([]domain.VisitID, 0, len(q.visits))
	for id := range q.visits {
		out = append(out, id)
	}
	slices.SortFunc(out, compareIDs)
	return out
}

// Tick tells an office queue and its waiting visits when the serving order
// at now differs from the order last seen by Tick (an appointment's
// check-in window opened or closed without an event), and drops visits
// that finished more than the retention period before now.
func (q *Queues) Tick(_ context.Context, now time.Time) {
	var changes []readside.Change
	func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		for id, v := range q.visits {
			if v.Status.IsFinal() && now.Sub(v.FinishedAt) > q.retention {
				delete(q.visits, id)
				q.gen++ // not waiting, so no queue shows it; but be safe
			}
		}
		for id, o := range q.offices {
			view := q.queueAt(id, now)
			order := make([]domain.VisitID, len(view.Waiting))
			for i, w := range view.Waiting {
				order[i] = w.VisitID
			}
			if !slices.Equal(order, o.shown) {
				o.shown = order
				changes = append(changes, q.queueChanges(id, eventlog.Position{})...)
			}
		}
	}()
	notifyAll(q.notify, changes)
}

// InService returns an office's visits that are admitted or in a call, by
// knock time: the clerks' "now serving" list.
func (q *Queues) InService(id domain.OfficeID) []VisitView {
	q.mu.RLock()
	defer q.mu.RUnlock()
	o, ok := q.offices[id]
	if !ok {
		return nil
	}
	out := make([]VisitView, 0, len(o.active))
	for vid := range o.active {
		out = append(out, q.visits[vid].VisitView)
	}
	slices.SortFunc(out, func(a, b VisitView) int {
		if c := a.KnockedAt.Compare(b.KnockedAt); c != 0 {
			return c
		}
		return compareIDs(a.VisitID, b.VisitID)
	})
	return out
}
