package webtest

import (
	"context"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/command"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// StaffService returns the fake's staff accounts as the API's staff
// service, so that the API's sessions sign them in (password Password).
// Only signing in and reading accounts are supported; the pages manage
// staff through the Admin port.
func (f *Fake) StaffService() httpapi.StaffService { return staffService{f} }

type staffService struct{ f *Fake }

var errUnsupported = domain.Precondition("not_supported", "the fake's staff service only signs in")

func (s staffService) account(v *web.StaffView) appstaff.Account {
	a := appstaff.Account{ID: domain.IDFrom[staff.UserID](uuid.MustParse(v.ID)), Username: v.Username, CreatedAt: s.f.now()}
	if r, err := staff.ParseRole(v.Role); err == nil {
		a.Roles = []staff.Role{r}
	}
	for _, o := range v.Offices {
		if id, err := uuid.Parse(o); err == nil {
			a.Offices = append(a.Offices, domain.IDFrom[domain.OfficeID](id))
		}
	}
	return a
}

func (s staffService) VerifyLogin(_ context.Context, username, password string) (appstaff.Account, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	for _, v := range s.f.staff {
		if v.Username == username && password == Password {
			return s.account(v), nil
		}
	}
	return appstaff.Account{}, staff.ErrInvalidCredentials
}

func (s staffService) Get(_ context.Context, id staff.UserID) (appstaff.Account, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	for _, v := range s.f.staff {
		if v.ID == id.String() {
			return s.account(v), nil
		}
	}
	return appstaff.Account{}, staff.ErrNotFound
}

func (s staffService) List(context.Context) ([]appstaff.Account, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	var out []appstaff.Account
	for _, v := range s.f.staff {
		out = append(out, s.account(v))
	}
	return out, nil
}

func (staffService) Create(context.Context, command.Context, appstaff.CreateCommand) (appstaff.Account, error) {
	return appstaff.Account{}, errUnsupported
}

func (staffService) AssignOffices(context.Context, command.Context, staff.UserID, []domain.OfficeID) (appstaff.Account, error) {
	return appstaff.Account{}, errUnsupported
}

func (staffService) SetPassword(context.Context, command.Context, staff.UserID, string) error {
	return errUnsupported
}

func (staffService) Disable(context.Context, command.Context, staff.UserID) (appstaff.Account, error) {
	return appstaff.Account{}, errUnsupported
}
