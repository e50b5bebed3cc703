package casefile

import "github.com/buergerbuero/buergerbuero/domain"

// Errors of the case aggregates; match with errors.Is.
var (
	ErrNotFound               = domain.NotFound("case_not_found", "case not found")
	ErrInvalidCase            = domain.Invalid("invalid_case", "invalid case")
	ErrClosed                 = domain.Precondition("case_closed", "the case is closed")
	ErrUnknownDocumentRequest = domain.Precondition("case_unknown_document_request", "no open document request with this id")
	ErrCallActive             = domain.Precondition("case_call_active", "a call is running")
	ErrNoActiveCall           = domain.Precondition("case_no_active_call", "no call with this id is running")
	ErrParticipantPresent     = domain.Conflict("call_participant_present", "the participant is already in the call")
	ErrParticipantAbsent      = domain.Precondition("call_participant_absent", "the participant is not in the call")
	// ErrDocumentTypeNotAllowed: the content is not a PDF, PNG or JPEG.
	ErrDocumentTypeNotAllowed = domain.Invalid("document_type_not_allowed", "only PDF, PNG and JPEG documents are accepted")
	ErrReferencesExhausted    = domain.Conflict("case_references_exhausted", "no case reference numbers left this year")
)
