package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

type staffUserPath struct {
	UserID string `path:"userId" format:"uuid" maxLength:"36" doc:"Staff user ID"`
}

type officesBody struct {
	Offices []string `json:"offices" maxItems:"50" format:"uuid" maxLength:"36" doc:"Office IDs"`
}

type createStaffInput struct {
	Body struct {
		Username string   `json:"username" minLength:"3" maxLength:"64" pattern:"^[A-Za-z0-9][A-Za-z0-9._-]*$" doc:"Login handle, not a display name; case-insensitive"`
		Password string   `json:"password" minLength:"12" maxLength:"256" doc:"Initial password, at least 12 characters"`
		Roles    []string `json:"roles" minItems:"1" maxItems:"3" enum:"clerk,auditor,admin"`
		Offices  []string `json:"offices,omitempty" maxItems:"50" format:"uuid" maxLength:"36" doc:"Offices a clerk serves"`
	}
}

type assignOfficesInput struct {
	UserID string `path:"userId" format:"uuid" maxLength:"36" doc:"Staff user ID"`
	Body   officesBody
}

type setPasswordInput struct {
	UserID string `path:"userId" format:"uuid" maxLength:"36" doc:"Staff user ID"`
	Body   struct {
		Password string `json:"password" minLength:"12" maxLength:"256"`
	}
}

type staffUserOutput struct {
	Body StaffUser
}

type staffUsersOutput struct {
	Body struct {
		Users []StaffUser `json:"users" maxItems:"1000"`
	}
}

func registerStaffRoutes(a *API) {
	admin := Permission{Audience: Admin}
	Register(a, huma.Operation{
		OperationID: "list-staff-users", Method: http.MethodGet, Path: "/staff-users",
		Summary: "List staff accounts",
	}, admin, a.listStaff)
	Register(a, huma.Operation{
		OperationID: "create-staff-user", Method: http.MethodPost, Path: "/staff-users", DefaultStatus: http.StatusCreated,
		Summary: "Create a staff account", Description: "A username that is taken (in any letter case) is 409 username_taken.",
	}, admin, a.createStaff, WithIdempotency())
	Register(a, huma.Operation{
		OperationID: "assign-staff-offices", Method: http.MethodPut, Path: "/staff-users/{userId}/offices",
		Summary: "Replace the offices a clerk serves", Description: "Takes effect on the clerk's next request.",
	}, admin, a.assignOffices)
	Register(a, huma.Operation{
		OperationID: "set-staff-password", Method: http.MethodPut, Path: "/staff-users/{userId}/password", DefaultStatus: http.StatusNoContent,
		Summary: "Set a staff user's password",
	}, admin, a.setPassword)
	Register(a, huma.Operation{
		OperationID: "disable-staff-user", Method: http.MethodPost, Path: "/staff-users/{userId}/disable",
		Summary: "Disable a staff account", Description: "The user can no longer sign in, and open sessions end at once.",
	}, admin, a.disableStaff)
}

func (a *API) listStaff(ctx context.Context, _ *struct{}) (*staffUsersOutput, error) {
	accs, err := a.deps.Staff.List(ctx)
	if err != nil {
		return nil, err
	}
	out := &staffUsersOutput{}
	out.Body.Users = make([]StaffUser, 0, len(accs))
	for _, acc := range accs {
		out.Body.Users = append(out.Body.Users, staffUserOf(acc))
	}
	return out, nil
}

func (a *API) createStaff(ctx context.Context, in *createStaffInput) (*staffUserOutput, error) {
	roles := make([]staff.Role, 0, len(in.Body.Roles))
	for _, r := range in.Body.Roles {
		role, err := staff.ParseRole(r)
		if err != nil {
			return nil, err
		}
		roles = append(roles, role)
	}
	offices, err := parseOffices(in.Body.Offices)
	if err != nil {
		return nil, err
	}
	acc, err := a.deps.Staff.Create(ctx, CommandContext(ctx), appstaff.CreateCommand{
		Username: in.Body.Username, Password: in.Body.Password, Roles: roles, Offices: offices,
	})
	if err != nil {
		return nil, err
	}
	return &staffUserOutput{Body: staffUserOf(acc)}, nil
}

func (a *API) assignOffices(ctx context.Context, in *assignOfficesInput) (*staffUserOutput, error) {
	id, err := domain.ParseID[staff.UserID](in.UserID)
	if err != nil {
		return nil, err
	}
	offices, err := parseOffices(in.Body.Offices)
	if err != nil {
		return nil, err
	}
	acc, err := a.deps.Staff.AssignOffices(ctx, CommandContext(ctx), id, offices)
	if err != nil {
		return nil, err
	}
	return &staffUserOutput{Body: staffUserOf(acc)}, nil
}

func (a *API) setPassword(ctx context.Context, in *setPasswordInput) (*struct{}, error) {
	id, err := domain.ParseID[staff.UserID](in.UserID)
	if err != nil {
		return nil, err
	}
	if err := a.deps.Staff.SetPassword(ctx, CommandContext(ctx), id, in.Body.Password); err != nil {
		return nil, err
	}
	// A new password ends the user's sessions: a stolen one must not outlive
	// the reset that answers it.
	return nil, a.deps.Sessions.RevokeUser(ctx, id)
}

func (a *API) disableStaff(ctx context.Context, in *staffUserPath) (*staffUserOutput, error) {
	id, err := domain.ParseID[staff.UserID](in.UserID)
	if err != nil {
		return nil, err
	}
	acc, err := a.deps.Staff.Disable(ctx, CommandContext(ctx), id)
	if err != nil {
		return nil, err
	}
	if err := a.deps.Sessions.RevokeUser(ctx, id); err != nil {
		return nil, err
	}
	return &staffUserOutput{Body: staffUserOf(acc)}, nil
}

func parseOffices(ids []string) ([]domain.OfficeID, error) {
	out := make([]domain.OfficeID, 0, len(ids))
	for _, s := range ids {
		id, err := domain.ParseID[domain.OfficeID](s)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
