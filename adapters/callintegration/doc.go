// Package callintegration holds the integration tests of calls attached to
// visits and cases: the embedded event-store node, the application and its
// read side, the Pion relay behind the calls service, and the real HTTP
// API on an httptest server, joined by Go Pion clients over loopback. It
// has no production code.
package callintegration
