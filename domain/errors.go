package domain

import (
	"errors"
	"fmt"
)

// Category classifies a domain error; one mapper in the HTTP adapter turns
// categories into problem details (404, 409, 422, 403, 412 or similar).
type Category struct{ s string }

var (
	CategoryNotFound     = Category{"not_found"}
	CategoryConflict     = Category{"conflict"}
	CategoryInvalid      = Category{"invalid"}
	CategoryForbidden    = Category{"forbidden"}
	CategoryPrecondition = Category{"precondition"}
)

func (c Category) String() string { return c.s }

// IsZero reports whether c is the zero Category.
func (c Category) IsZero() bool { return c == Category{} }

// Category sentinels: errors.Is(err, domain.ErrConflict) is true for every
// domain error of that category.
var (
	ErrNotFound     = &Error{category: CategoryNotFound}
	ErrConflict     = &Error{category: CategoryConflict}
	ErrInvalid      = &Error{category: CategoryInvalid}
	ErrForbidden    = &Error{category: CategoryForbidden}
	ErrPrecondition = &Error{category: CategoryPrecondition}
)

// Error is a domain error with a category and a stable machine-readable code
// (e.g. "visit_already_admitted"). Packages declare their errors as
// package-level values and wrap them with fmt.Errorf("%w: detail", ErrX) when
// they add detail; errors.Is matches the value, its code and its category.
type Error struct {
	category Category
	code     string
	message  string
}

// NewError returns a domain error. Prefer the category helpers below.
func NewError(category Category, code, message string) *Error {
	return &Error{category: category, code: code, message: message}
}

// NotFound returns an error of CategoryNotFound.
func NotFound(code, message string) *Error { return NewError(CategoryNotFound, code, message) }

// Conflict returns an error of CategoryConflict.
func Conflict(code, message string) *Error { return NewError(CategoryConflict, code, message) }

// Invalid returns an error of CategoryInvalid.
func Invalid(code, message string) *Error { return NewError(CategoryInvalid, code, message) }

// Forbidden returns an error of CategoryForbidden.
func Forbidden(code, message string) *Error { return NewError(CategoryForbidden, code, message) }

// Precondition returns an error of CategoryPrecondition (the command is valid
// but the aggregate is not in a state that allows it).
func Precondition(code, message string) *Error { return NewError(CategoryPrecondition, code, message) }

func (e *Error) Error() string {
	if e.message == "" {
		return e.category.s
	}
	return e.message
}

// Category returns the error's category.
func (e *Error) Category() Category { return e.category }

// Code returns the stable machine-readable code ("" for category sentinels).
func (e *Error) Code() string { return e.code }

// Is makes category sentinels match every error of their category and
// errors with the same code match each other.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t.code == "" {
		return t.category == e.category
	}
	return t.code == e.code && t.category == e.category
}

// CategoryOf returns the category of the first domain error in err's chain,
// or the zero Category when there is none.
func CategoryOf(err error) Category {
	var de *Error
	if errors.As(err, &de) {
		return de.category
	}
	return Category{}
}

// Wrapf adds detail to a domain error; errors.Is and errors.As still find base.
func Wrapf(base *Error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", base, fmt.Sprintf(format, args...))
}
