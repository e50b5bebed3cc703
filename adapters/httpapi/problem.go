package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// ProblemTypePrefix starts the type of every problem: a URN followed by the
// problem's stable code, e.g. "urn:buergerbuero:problem:door_closed". A URN
// does not depend on the host a city deploys to; the codes are listed in the
// API description and never change meaning.
const ProblemTypePrefix = "urn:buergerbuero:problem:"

// Problem is an RFC 9457 problem details object, served as
// application/problem+json. It never carries a stack trace, and for 5xx
// never a detail.
type Problem struct {
	Type     string       `json:"type" format:"uri" maxLength:"120" doc:"Stable problem type: urn:buergerbuero:problem:<code>"`
	Title    string       `json:"title" maxLength:"120" doc:"Short summary of the problem type"`
	Status   int          `json:"status" minimum:"400" maximum:"599" doc:"HTTP status code"`
	Detail   string       `json:"detail,omitempty" maxLength:"2000" doc:"Explanation of this occurrence"`
	Instance string       `json:"instance,omitempty" format:"uri" maxLength:"80" doc:"urn:uuid of the request, as in the X-Request-ID header"`
	Code     string       `json:"code" maxLength:"64" doc:"Stable machine-readable code (the end of type)"`
	Errors   []FieldError `json:"errors,omitempty" maxItems:"100" doc:"Per-field validation errors"`
	// NextOpening is set on door_closed: when the office opens next.
	NextOpening *time.Time `json:"nextOpening,omitempty" maxLength:"40" doc:"door_closed only: the start of the office's next opening period (absent when none is scheduled within a year or the door is only paused)"`

	headers http.Header
}

// FieldError is one invalid field of a request.
type FieldError struct {
	Location string `json:"location,omitempty" maxLength:"200" doc:"Where, e.g. body.username or path.officeId"`
	Message  string `json:"message" maxLength:"500" doc:"What is wrong"`
}

func (p *Problem) Error() string  { return p.Code + ": " + p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// GetHeaders returns extra response headers (Retry-After, WWW-Authenticate).
func (p *Problem) GetHeaders() http.Header {
	if p.headers == nil {
		p.headers = http.Header{}
	}
	return p.headers
}

// ContentType makes Huma send application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" || ct == "" {
		return "application/problem+json"
	}
	return ct
}

// Problem codes the HTTP layer itself produces.
const (
	CodeBadRequest       = "bad_request"
	CodeUnauthenticated  = "unauthenticated"
	CodeForbidden        = "forbidden"
	CodeNotFound         = "not_found"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeConflict         = "conflict"
	CodeConcurrentChange = "concurrent_change"
	CodeBodyTooLarge     = "body_too_large"
	CodeValidation       = "validation_failed"
	CodeRateLimited      = "rate_limited"
	CodeIdempotencyReuse = "idempotency_key_reused"
	CodeIdempotencyBusy  = "idempotency_key_in_use"
	CodeInternal         = "internal"
	CodeUnavailable      = "unavailable"
)

// NewProblem returns a problem of status with a stable code and detail.
func NewProblem(status int, code, detail string) *Problem {
	if status >= 500 {
		detail = ""
	}
	return &Problem{
		Type: ProblemTypePrefix + code, Title: http.StatusText(status), Status: status,
		Detail: clip(detail, 2000), Code: code,
	}
}

func defaultCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return CodeBadRequest
	case http.StatusUnauthorized:
		return CodeUnauthenticated
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusMethodNotAllowed:
		return CodeMethodNotAllowed
	case http.StatusConflict:
		return CodeConflict
	case http.StatusRequestEntityTooLarge:
		return CodeBodyTooLarge
	case http.StatusUnprocessableEntity:
		return CodeValidation
	case http.StatusTooManyRequests:
		return CodeRateLimited
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusRequestTimeout:
		return CodeUnavailable
	}
	if status >= 500 {
		return CodeInternal
	}
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

// codeStatus overrides the category mapping for single codes.
var codeStatus = map[string]int{
	staff.ErrInvalidCredentials.Code(): http.StatusUnauthorized,
}

// StatusOf maps an error to its HTTP status: domain categories (not found
// 404, conflict and precondition 409, invalid 422, forbidden 403), event
// store errors (ErrConflict 409, ErrStreamNotFound and ErrStreamDeleted 404,
// ErrUnavailable 503), ended contexts 503, a *Problem its own status, anything else 500.
func StatusOf(err error) int {
	var p *Problem
	if errors.As(err, &p) {
		return p.Status
	}
	var de *domain.Error
	if errors.As(err, &de) {
		if s, ok := codeStatus[de.Code()]; ok {
			return s
		}
		switch de.Category() {
		case domain.CategoryNotFound:
			return http.StatusNotFound
		case domain.CategoryConflict, domain.CategoryPrecondition:
			return http.StatusConflict
		case domain.CategoryInvalid:
			return http.StatusUnprocessableEntity
		case domain.CategoryForbidden:
			return http.StatusForbidden
		}
	}
	switch {
	case errors.Is(err, eventlog.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, eventlog.ErrStreamNotFound), errors.Is(err, eventlog.ErrStreamDeleted):
		return http.StatusNotFound
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), errors.Is(err, eventlog.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// ProblemFor is the one mapper from errors to problem details. Domain errors
// keep their code and message; event-store conflicts become
// concurrent_change; everything unexpected becomes an internal problem with
// no detail.
func ProblemFor(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	status := StatusOf(err)
	code := defaultCode(status)
	detail := ""
	var de *domain.Error
	switch {
	case errors.As(err, &de) && status < 500:
		if de.Code() != "" {
			code = de.Code()
		}
		detail = err.Error()
	case errors.Is(err, eventlog.ErrConflict):
		code, detail = CodeConcurrentChange, "the record was changed concurrently; reload and retry"
	case status == http.StatusNotFound:
		detail = "not found"
	case errors.Is(err, eventlog.ErrUnavailable):
		detail = "the event store cannot write right now; nothing was saved, try again later"
	}
	p = NewProblem(status, code, detail)
	var closed *office.DoorClosedError
	if errors.As(err, &closed) && !closed.NextOpening.IsZero() {
		next := closed.NextOpening
		p.NextOpening = &next
	}
	return p
}

// newHumaError replaces huma.NewError so that Huma's own errors (validation,
// body too large, unreadable body, handler errors) are Problems too. Field
// errors keep location and message but never the rejected value, which may
// be a password or personal data.
func newHumaError(status int, msg string, errs ...error) huma.StatusError {
	if status == http.StatusInternalServerError && len(errs) == 1 && errs[0] != nil {
		return ProblemFor(errs[0])
	}
	if status == 0 { // Huma asks for an example value to derive the schema
		return &Problem{}
	}
	p := NewProblem(status, defaultCode(status), msg)
	for _, e := range errs {
		if e == nil || len(p.Errors) == 100 {
			continue
		}
		var d huma.ErrorDetailer
		if errors.As(e, &d) {
			det := d.ErrorDetail()
			p.Errors = append(p.Errors, FieldError{Location: clip(det.Location, 200), Message: clip(det.Message, 500)})
			continue
		}
		p.Errors = append(p.Errors, FieldError{Message: clip(e.Error(), 500)})
	}
	if len(p.Errors) > 0 && (msg == "validation failed" || msg == "") {
		switch status {
		case http.StatusUnprocessableEntity:
			p.Detail = fmt.Sprintf("%d field(s) of the request are invalid", len(p.Errors))
		case http.StatusBadRequest:
			p.Detail = "the request is malformed"
		}
	}
	return p
}

func init() {
	// Huma's documented extension point is a package variable; this package
	// owns the one Huma API of the process.
	huma.NewError = newHumaError
	huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		se := newHumaError(status, msg, errs...)
		if p, ok := se.(*Problem); ok && ctx != nil {
			if s := scopeOf(ctx.Context()); s != nil {
				p.Instance = "urn:uuid:" + s.requestID.String()
				if p.Status >= 500 && len(errs) > 0 {
					s.logInternal(errs[0])
				}
			}
		}
		return se
	}
}

// clip cuts s to at most n bytes on a rune boundary and drops invalid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
