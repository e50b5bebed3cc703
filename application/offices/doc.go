// Package offices holds the write-side use cases of the office aggregate:
// establish an office with its department, services, hours and slot
// capacity; replace the opening hours or one dated exception; and a clerk's
// duty (on duty, pause, resume, off duty). Clerk commands take the clerk from
// the command context's actor, never from the request.
//
// One use case per file: the command, its handler and NewXxxHandler, which
// refuses missing dependencies. Rules live in domain/office; this package
// loads, calls the domain and appends. It must not import adapters, HTTP or
// the event-store client.
package offices
