package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// Audience is who may call an operation; values combine with |
// (Clerk|Auditor). The zero Audience is invalid: every route must say.
type Audience uint8

const (
	// Anyone: public, anonymous callers included (login, knock).
	Anyone Audience = 1 << iota
	// Citizen: a citizen whose capability token grants the subject named by
	// Permission.SubjectParam.
	Citizen
	// Clerk: a staff user with the clerk role; with OfficeParam, assigned
	// to that office.
	Clerk
	// Auditor: a staff user with the auditor role.
	Auditor
	// Admin: a staff user with the admin role (manages staff accounts).
	Admin
	// AnyStaff: any signed-in staff user, whatever the role (logout, me).
	AnyStaff
)

var audienceNames = []struct {
	a    Audience
	name string
}{{Anyone, "public"}, {Citizen, "citizen"}, {Clerk, "clerk"}, {Auditor, "auditor"}, {Admin, "admin"}, {AnyStaff, "staff"}}

// Tags returns the OpenAPI tags of the audience, one per member.
func (a Audience) Tags() []string {
	var out []string
	for _, n := range audienceNames {
		if a&n.a != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

func (a Audience) String() string { return strings.Join(a.Tags(), "|") }

// Permission is what an operation requires. It is declared with the route
// and checked before the handler runs.
type Permission struct {
	Audience Audience
	// OfficeParam names the path parameter holding an office ID; a clerk
	// must be assigned to that office. Only with Clerk in the audience.
	OfficeParam string
	// Subject and SubjectParam: for Citizen, the path parameter holding the
	// ID of the visit, appointment or case the capability token must grant.
	Subject      SubjectKind
	SubjectParam string
}

// validate panics-worthy mistakes in a route declaration.
func (p Permission) validate(path string) error {
	const all = Anyone | Citizen | Clerk | Auditor | Admin | AnyStaff
	switch {
	case p.Audience == 0:
		return errors.New("no audience: say who may call it (httpapi.Anyone for public routes)")
	case p.Audience&^all != 0:
		return fmt.Errorf("unknown audience bits %b", p.Audience)
	case p.Audience&Anyone != 0 && p.Audience != Anyone:
		return fmt.Errorf("audience Anyone cannot be combined with others")
	case p.OfficeParam != "" && p.Audience&Clerk == 0:
		return fmt.Errorf("an OfficeParam needs Clerk in the audience")
	case p.OfficeParam != "" && !strings.Contains(path, "{"+p.OfficeParam+"}"):
		return fmt.Errorf("office parameter %q is not a parameter of %s", p.OfficeParam, path)
	case p.Audience&Citizen != 0 && (p.Subject.IsZero() || p.SubjectParam == ""):
		return fmt.Errorf("audience Citizen needs Subject and SubjectParam: a token grants one subject only")
	case p.Audience&Citizen == 0 && (!p.Subject.IsZero() || p.SubjectParam != ""):
		return fmt.Errorf("a Subject or SubjectParam needs Citizen in the audience")
	case p.SubjectParam != "" && !strings.Contains(path, "{"+p.SubjectParam+"}"):
		return fmt.Errorf("subject parameter %q is not a parameter of %s", p.SubjectParam, path)
	}
	return nil
}

// describe is the human form of a permission, for the docs (x-permission).
func (p Permission) describe() string {
	var parts []string
	for _, n := range audienceNames {
		if p.Audience&n.a == 0 {
			continue
		}
		s := n.name
		switch n.a {
		case Anyone:
			s = "anyone, also anonymous"
		case Citizen:
			s = fmt.Sprintf("citizen holding the capability token of the %s in path parameter %s", p.Subject, p.SubjectParam)
		case Clerk:
			if p.OfficeParam != "" {
				s = "clerk assigned to the office in path parameter " + p.OfficeParam
			}
		case AnyStaff:
			s = "any signed-in staff user"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; or ")
}

// credential is what a request presented.
type credential struct {
	bearer  string // a non-session token (citizen capability candidate)
	session bool   // a session token was presented (valid or not)
}

// decision is the outcome of a permission check.
type decision struct {
	status int      // 0: allowed
	acting Audience // the audience member that admitted the principal
	detail string
}

// decide checks p against the principal. param reads path parameters;
// grants checks a citizen token against a subject.
func (p Permission) decide(pr Principal, cred credential, param func(string) string, grants func(token string, s Subject) bool) decision {
	if p.Audience == Anyone {
		return decision{acting: Anyone}
	}
	if pr.Kind() == KindStaff {
		a := pr.Account()
		switch {
		case p.Audience&Clerk != 0 && a.HasRole(staff.RoleClerk) && (p.OfficeParam == "" || servesParam(a, param(p.OfficeParam))):
			return decision{acting: Clerk}
		case p.Audience&Auditor != 0 && a.HasRole(staff.RoleAuditor):
			return decision{acting: Auditor}
		case p.Audience&Admin != 0 && a.HasRole(staff.RoleAdmin):
			return decision{acting: Admin}
		case p.Audience&AnyStaff != 0:
			return decision{acting: AnyStaff}
		}
		return decision{status: http.StatusForbidden, detail: "your role or office assignment does not allow this"}
	}
	if p.Audience&Citizen != 0 && cred.bearer != "" {
		id, err := uuid.Parse(param(p.SubjectParam))
		if err == nil && grants(cred.bearer, Subject{Kind: p.Subject, ID: id}) {
			return decision{acting: Citizen}
		}
		return decision{status: http.StatusForbidden, detail: "the token does not grant access to this " + p.Subject.s}
	}
	if cred.bearer != "" {
		return decision{status: http.StatusForbidden, detail: "this token does not grant access here"}
	}
	if cred.session {
		return decision{status: http.StatusUnauthorized, detail: "the session has ended; sign in again"}
	}
	return decision{status: http.StatusUnauthorized, detail: "sign in or present a token"}
}

func servesParam(a appstaff.Account, v string) bool {
	id, err := uuid.Parse(v)
	return err == nil && StaffPrincipal(a).ServesOffice(id)
}
