package httpapi

import (
	"context"
	"slices"

	"github.com/google/uuid"

	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// SubjectKind is what a citizen's capability token grants: one visit, one
// appointment or one case.
type SubjectKind struct{ s string }

var (
	SubjectVisit       = SubjectKind{"visit"}
	SubjectAppointment = SubjectKind{"appointment"}
	SubjectCase        = SubjectKind{"case"}
)

func (k SubjectKind) String() string { return k.s }

// IsZero reports whether k is the zero SubjectKind.
func (k SubjectKind) IsZero() bool { return k == SubjectKind{} }

// Subject is the one visit, appointment or case a citizen's token grants.
type Subject struct {
	Kind SubjectKind
	ID   uuid.UUID
}

// PrincipalKind says who is calling.
type PrincipalKind struct{ s string }

var (
	KindAnonymous = PrincipalKind{"anonymous"}
	KindCitizen   = PrincipalKind{"citizen"}
	KindStaff     = PrincipalKind{"staff"}
)

func (k PrincipalKind) String() string { return k.s }

// Principal is the authenticated caller of one request: anonymous, a
// citizen holding the capability for one subject, or a staff user with
// roles (and, for clerks, offices). The zero Principal is anonymous.
type Principal struct {
	kind    PrincipalKind
	subject Subject
	account appstaff.Account
	// sessionHash identifies the staff session (SHA-256 of its token).
	sessionHash string
}

// Anonymous returns the anonymous principal.
func Anonymous() Principal { return Principal{kind: KindAnonymous} }

// CitizenPrincipal returns a citizen holding the capability for s.
func CitizenPrincipal(s Subject) Principal { return Principal{kind: KindCitizen, subject: s} }

// StaffPrincipal returns a staff user.
func StaffPrincipal(a appstaff.Account) Principal { return Principal{kind: KindStaff, account: a} }

// Kind returns who is calling.
func (p Principal) Kind() PrincipalKind {
	if p.kind == (PrincipalKind{}) {
		return KindAnonymous
	}
	return p.kind
}

// Subject returns a citizen's subject (zero for others).
func (p Principal) Subject() Subject { return p.subject }

// Account returns a staff user's account (zero for others).
func (p Principal) Account() appstaff.Account { return p.account }

// HasRole reports whether p is a staff user with role r.
func (p Principal) HasRole(r staff.Role) bool { return p.kind == KindStaff && p.account.HasRole(r) }

// ServesOffice reports whether p is a clerk assigned to office.
func (p Principal) ServesOffice(office uuid.UUID) bool {
	return p.HasRole(staff.RoleClerk) && slices.ContainsFunc(p.account.Offices, func(o domain.OfficeID) bool { return o.UUID() == office })
}

// key scopes per-principal state (idempotency keys); it holds no token.
func (p Principal) key(clientAddr string) string {
	switch p.Kind() {
	case KindStaff:
		return "staff:" + p.account.ID.String()
	case KindCitizen:
		return "citizen:" + p.subject.Kind.s + ":" + p.subject.ID.String()
	}
	return "anonymous:" + clientAddr
}

// PrincipalFrom returns the principal of the request ctx belongs to; it is
// set by the permission check before any handler runs.
func PrincipalFrom(ctx context.Context) Principal {
	if s := scopeOf(ctx); s != nil {
		return s.principal
	}
	return Anonymous()
}
