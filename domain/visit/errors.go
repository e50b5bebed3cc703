package visit

import "github.com/buergerbuero/buergerbuero/domain"

// Errors of the visit aggregate; match with errors.Is.
var (
	ErrNotFound        = domain.NotFound("visit_not_found", "visit not found")
	ErrInvalidVisit    = domain.Invalid("invalid_visit", "invalid visit")
	ErrNotWaiting      = domain.Precondition("visit_not_waiting", "the visit is not waiting")
	ErrAlreadyAdmitted = domain.Conflict("visit_already_admitted", "the visit has already been admitted")
	ErrNotAdmitted     = domain.Precondition("visit_not_admitted", "the visit is not admitted or in a call")
	ErrNotInCall       = domain.Precondition("visit_not_in_call", "the visit is not in a call")
	ErrFinished        = domain.Precondition("visit_finished", "the visit is already over")
	ErrStillPresent    = domain.Precondition("visit_still_present", "the citizen's page has not been gone for the grace period")
	ErrWrongOffice     = domain.Forbidden("visit_wrong_office", "the visit waits at another office")
	ErrWrongClerk      = domain.Forbidden("visit_wrong_clerk", "another clerk admitted this visit")
	ErrSameOffice      = domain.Invalid("visit_refer_same_office", "cannot refer a visit to its own office")
)
