// Package httpapitest builds a complete httpapi.API on an httptest server
// with an in-memory event store, seeded staff users and citizen tokens, and
// holds the authorisation-matrix harness every route author runs: each
// operation of the OpenAPI document × the principals {anonymous, citizen A,
// citizen B, clerk of office X, clerk of office Y, auditor, admin}, compared
// with a declared expectation table.
//
// It is for tests only and must never be wired into a running system.
package httpapitest
