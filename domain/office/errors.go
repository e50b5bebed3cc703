package office

import "github.com/buergerbuero/buergerbuero/domain"

// Errors of the office aggregate; match with errors.Is.
var (
	ErrNotFound           = domain.NotFound("office_not_found", "office not found")
	ErrInvalidOffice      = domain.Invalid("invalid_office", "invalid office")
	ErrServiceNotOffered  = domain.Precondition("service_not_offered", "the office does not offer this service")
	ErrClerkAlreadyOnDuty = domain.Conflict("clerk_already_on_duty", "clerk is already on duty")
	ErrClerkNotOnDuty     = domain.Precondition("clerk_not_on_duty", "clerk is not on duty at this office")
	ErrClerkPaused        = domain.Precondition("clerk_paused", "clerk is paused")
	ErrClerkNotPaused     = domain.Precondition("clerk_not_paused", "clerk is not paused")
	ErrClerkInCall        = domain.Precondition("clerk_in_call", "clerk is in a call")
	ErrDoorClosed         = domain.Precondition("door_closed", "the door does not accept knocks now")
)
