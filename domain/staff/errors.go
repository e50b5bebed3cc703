package staff

import "github.com/buergerbuero/buergerbuero/domain"

// Errors of the staff aggregate; match with errors.Is.
var (
	ErrNotFound           = domain.NotFound("staff_user_not_found", "staff user not found")
	ErrInvalidUser        = domain.Invalid("invalid_staff_user", "invalid staff user")
	ErrInvalidUsername    = domain.Invalid("invalid_username", "invalid username")
	ErrInvalidRole        = domain.Invalid("invalid_staff_role", "invalid staff role")
	ErrInvalidOffices     = domain.Invalid("invalid_offices", "invalid office assignment")
	ErrInvalidPassword    = domain.Invalid("invalid_password_hash", "invalid password hash")
	ErrUsernameTaken      = domain.Conflict("username_taken", "username is already taken")
	ErrUserDisabled       = domain.Precondition("staff_user_disabled", "staff user is disabled")
	ErrNotAClerk          = domain.Precondition("staff_user_not_clerk", "only clerks are assigned to offices")
	ErrInvalidCredentials = domain.Forbidden("invalid_credentials", "username or password is wrong")
)
