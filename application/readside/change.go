package readside

import (
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Kind names the read model a Change concerns.
type Kind string

const (
	KindDoor     Kind = "door"     // an office's door state
	KindQueue    Kind = "queue"    // a waiting visit's place or estimate, or an office queue
	KindVisit    Kind = "visit"    // a visit's own status (admitted, declined, ended, …)
	KindCalendar Kind = "calendar" // an office's appointment calendar for a day
	KindCase     Kind = "case"     // a case list entry
	KindStats    Kind = "stats"    // an office's daily statistics
)

// Change tells live views that a read model moved; they re-query it. It
// carries identifiers only, never personal data. Zero IDs mean "not about
// one particular visit/case/clerk".
type Change struct {
	Kind     Kind
	OfficeID domain.OfficeID
	VisitID  domain.VisitID
	CaseID   domain.CaseID
	ClerkID  domain.ClerkID
	// Position of the event that caused the change (zero for changes caused
	// by the clock, e.g. a door closing at closing time).
	Position eventlog.Position
	// Missed counts the changes this subscriber lost before this one
	// because it read too slowly; when it is not zero, re-query everything.
	Missed int
}

// Filter selects changes; a zero field matches everything.
type Filter struct {
	Kinds    []Kind
	OfficeID domain.OfficeID
	VisitID  domain.VisitID
	CaseID   domain.CaseID
	ClerkID  domain.ClerkID
}

// Matches reports whether c passes the filter.
func (f Filter) Matches(c Change) bool {
	if len(f.Kinds) > 0 {
		ok := false
		for _, k := range f.Kinds {
			ok = ok || k == c.Kind
		}
		if !ok {
			return false
		}
	}
	return (f.OfficeID.IsZero() || f.OfficeID == c.OfficeID) &&
		(f.VisitID.IsZero() || f.VisitID == c.VisitID) &&
		(f.CaseID.IsZero() || f.CaseID == c.CaseID) &&
		(f.ClerkID.IsZero() || f.ClerkID == c.ClerkID)
}

// ChangeNotifier is the port between projections and live views.
// Notify never blocks; Subscribe returns a channel of matching changes and
// a cancel function that closes it (safe to call more than once).
type ChangeNotifier interface {
	Notify(c Change)
	Subscribe(f Filter) (changes <-chan Change, cancel func())
}
