// Package command is the plumbing every write-side use case shares: the
// injected clock, identifier and capability-token ports, the command context
// (actor, correlation and causation IDs) that becomes event metadata, and the
// generic repository that loads an aggregate from its stream, runs a
// decision and appends the aggregate's changes with the expected revision it
// read (hash-chained for case streams).
//
// It must not decide anything itself (rules live in domain), must not read
// the wall clock or crypto/rand except through the ports declared here, and
// must not import adapters or infrastructure libraries.
package command
