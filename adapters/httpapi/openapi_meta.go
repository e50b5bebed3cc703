package httpapi

import "github.com/danielgtaylor/huma/v2"

const apiDescription = `The API of the Virtuelles Bürgerbüro: citizens knock on the virtual door of an office, clerks admit them into a video call, auditors verify case histories, admins manage staff accounts.

**Authentication.** Staff sign in with ` + "`login`" + ` and then send the session token as ` + "`Authorization: Bearer bbs_…`" + ` (API clients) or as the ` + "`bb_session`" + ` cookie (web pages; HttpOnly, SameSite=Lax, Secure over TLS). Sessions end after 30 minutes idle or 12 hours at most, and on ` + "`logout`" + `. Citizens receive a capability token when they knock or book; it grants that one visit, appointment or case and is sent as ` + "`Authorization: Bearer`" + `. Event streams (` + "`text/event-stream`" + `) also accept it as the ` + "`token`" + ` query parameter, because EventSource cannot send headers.

**Authorisation.** Every operation states who may call it in ` + "`x-permission`" + ` and is tagged with its audiences. Without credentials the answer is 401; with credentials that do not grant the operation it is 403.

**Errors** are RFC 9457 problem details (` + "`application/problem+json`" + `). ` + "`type`" + ` is ` + "`urn:buergerbuero:problem:<code>`" + ` with a stable ` + "`code`" + ` (also a member of its own); ` + "`instance`" + ` is the request ID (header ` + "`X-Request-ID`" + `). Validation problems list the invalid fields in ` + "`errors`" + `. Server errors carry no detail.

**Limits.** Login and knock-class operations are rate-limited per client address (429 with ` + "`Retry-After`" + `). Request bodies are limited (413). Operations that create things accept an ` + "`Idempotency-Key`" + ` header.`

func securitySchemes() map[string]*huma.SecurityScheme {
	return map[string]*huma.SecurityScheme{
		"sessionBearer": {Type: "http", Scheme: "bearer", Description: "Staff session token from login (bbs_…)."},
		"sessionCookie": {Type: "apiKey", In: "cookie", Name: SessionCookie, Description: "Staff session cookie set by login."},
		"capability":    {Type: "http", Scheme: "bearer", Description: "Citizen capability token of one visit, appointment or case."},
		"queryToken":    {Type: "apiKey", In: "query", Name: "token", Description: "A token in the URL, for EventSource (server-sent events) only."},
	}
}

func securityFor(p Permission, queryToken bool) []map[string][]string {
	if p.Audience == Anyone {
		return nil
	}
	var out []map[string][]string
	if p.Audience&Citizen != 0 {
		out = append(out, map[string][]string{"capability": {}})
	}
	if p.Audience&^Citizen != 0 {
		out = append(out, map[string][]string{"sessionBearer": {}}, map[string][]string{"sessionCookie": {}})
	}
	if queryToken {
		out = append(out, map[string][]string{"queryToken": {}})
	}
	return out
}

func apiTags() []*huma.Tag {
	return []*huma.Tag{
		{Name: "public", Description: "Open to everybody, including anonymous callers."},
		{Name: "citizen", Description: "For the citizen holding the capability token of a visit, appointment or case."},
		{Name: "clerk", Description: "For clerks, mostly limited to the offices they are assigned to."},
		{Name: "auditor", Description: "For auditors (Prüfer:innen)."},
		{Name: "admin", Description: "For administrators of staff accounts."},
		{Name: "staff", Description: "For every signed-in staff user."},
	}
}
