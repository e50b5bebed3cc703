package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
)

// StaffUser is a staff account as the API shows it (never a password hash).
type StaffUser struct {
	ID        string    `json:"id" format:"uuid" maxLength:"36"`
	Username  string    `json:"username" maxLength:"64"`
	Roles     []string  `json:"roles" maxItems:"3" enum:"clerk,auditor,admin" doc:"clerk, auditor and/or admin"`
	Offices   []string  `json:"offices" maxItems:"50" format:"uuid" maxLength:"36" doc:"Offices a clerk serves"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"createdAt" maxLength:"40"`
}

func staffUserOf(a appstaff.Account) StaffUser {
	u := StaffUser{ID: a.ID.String(), Username: a.Username, Roles: []string{}, Offices: []string{}, Disabled: a.Disabled, CreatedAt: a.CreatedAt}
	for _, r := range a.Roles {
		u.Roles = append(u.Roles, r.String())
	}
	for _, o := range a.Offices {
		u.Offices = append(u.Offices, o.String())
	}
	return u
}

type loginInput struct {
	Body struct {
		Username string `json:"username" minLength:"1" maxLength:"64"`
		Password string `json:"password" minLength:"1" maxLength:"256"`
	}
}

type sessionBody struct {
	Token     string    `json:"token" maxLength:"64" doc:"Session token for Authorization: Bearer (also set as the bb_session cookie)"`
	ExpiresAt time.Time `json:"expiresAt" maxLength:"40" doc:"When the session ends if idle; each request extends it, up to 12 hours after login"`
	User      StaffUser `json:"user"`
}

type loginOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      sessionBody
}

type meOutput struct {
	Body StaffUser
}

type logoutOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

func registerAuthRoutes(a *API) {
	Register(a, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/auth/login", Tags: []string{"public"},
		Summary:     "Sign in a staff user",
		Description: "Checks username and password and starts a new session; a session presented with the request ends (the token rotates). Wrong credentials, unknown users and disabled accounts all get the same 401.",
	}, Permission{Audience: Anyone}, a.login, WithRateLimit(RateLogin))

	Register(a, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/auth/logout", DefaultStatus: http.StatusNoContent,
		Summary: "End the current session",
	}, Permission{Audience: AnyStaff}, a.logout)

	Register(a, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/auth/me",
		Summary: "The signed-in staff user",
	}, Permission{Audience: AnyStaff}, a.me)
}

func (a *API) login(ctx context.Context, in *loginInput) (*loginOutput, error) {
	sc := scopeOf(ctx)
	token, s, p, err := a.startSession(ctx, sc, in.Body.Username, in.Body.Password)
	if err != nil {
		return nil, err
	}
	return &loginOutput{
		SetCookie: a.sessionCookie(sc, token, 0),
		Body:      sessionBody{Token: token, ExpiresAt: s.ExpiresAt.UTC(), User: staffUserOf(p.Account())},
	}, nil
}

func (a *API) logout(ctx context.Context, _ *struct{}) (*logoutOutput, error) {
	sc := scopeOf(ctx)
	if err := a.endSession(ctx, sc); err != nil {
		return nil, err
	}
	return &logoutOutput{SetCookie: a.sessionCookie(sc, "", -1)}, nil
}

func (a *API) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	return &meOutput{Body: staffUserOf(PrincipalFrom(ctx).Account())}, nil
}

// sessionCookie is HttpOnly, SameSite=Lax, Secure over TLS or when
// configured, and a browser-session cookie (the server ends the session).
func (a *API) sessionCookie(sc *requestScope, token string, maxAge int) http.Cookie {
	return http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.cfg.SecureCookies || sc.tls,
	}
}
