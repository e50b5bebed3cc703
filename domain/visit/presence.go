package visit

import "time"

// DefaultGracePeriod is how long a waiting page may be gone before the
// visit can be expired.
const DefaultGracePeriod = 2 * time.Minute

// PresenceLost records that the waiting page went away. It does nothing
// when the visit is not waiting or presence is already lost.
func (v *Visit) PresenceLost(at time.Time) error {
	if v.status != StatusWaiting || !v.presenceLostAt.IsZero() {
		return nil
	}
	v.record(VisitPresenceLost{VisitID: v.id, At: at})
	return nil
}

// PresenceRegained records that the waiting page is back. It does nothing
// when presence was not lost.
func (v *Visit) PresenceRegained(at time.Time) error {
	if v.status != StatusWaiting || v.presenceLostAt.IsZero() {
		return nil
	}
	v.record(VisitPresenceRegained{VisitID: v.id, At: at})
	return nil
}

// Expire ends a waiting visit whose page has been gone for at least grace
// at instant now (a timer calls it). Otherwise ErrStillPresent, or
// ErrNotWaiting when the visit has moved on.
func (v *Visit) Expire(now time.Time, grace time.Duration) error {
	if v.status != StatusWaiting {
		return ErrNotWaiting
	}
	if v.presenceLostAt.IsZero() || now.Sub(v.presenceLostAt) < grace {
		return ErrStillPresent
	}
	v.record(VisitExpired{VisitID: v.id, PresenceLostAt: v.presenceLostAt, ExpiredAt: now})
	return nil
}

// Withdraw: the citizen leaves the queue while waiting.
func (v *Visit) Withdraw(at time.Time) error {
	if v.status != StatusWaiting {
		return ErrNotWaiting
	}
	v.record(VisitWithdrawn{VisitID: v.id, WithdrawnAt: at})
	return nil
}
