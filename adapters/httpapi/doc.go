// Package httpapi is the HTTP API of the Bürgerbüro: a Huma v2 API on
// net/http under /api/v1 with its OpenAPI 3.1 document (/openapi.json,
// /openapi.yaml), a self-contained docs page (/docs), RFC 9457 problem
// details, authentication (staff sessions, citizen capability tokens),
// per-route authorisation, rate limits, idempotency keys, server-sent events
// and /healthz.
//
// Every operation is registered with Register (or RegisterSSE), which takes
// the operation's Permission and enforces it before the handler runs; an
// operation registered any other way, or with the zero Permission, panics at
// startup. Handlers call application use cases directly and return their
// errors; ProblemFor is the one mapper from domain error categories and
// event-store errors to HTTP status codes.
//
// The server-rendered pages (Deps.Pages, adapters/web) register their routes
// with RegisterPage and a Permission the same way and run through the same
// pipeline: sessions (SignIn, SignOut), permission check, rate limits and
// ProblemFor; only rendering differs (FailPage hands the problem to the
// pages, which show a readable page instead of problem+json).
//
// This package must not decide business rules (they live in domain and
// application), must not touch the event store except through application
// ports, and must never log personal data, tokens, passwords, request
// bodies, query strings or path values.
package httpapi
