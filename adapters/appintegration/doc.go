// Package appintegration holds the application's integration tests and
// benchmarks: the real use cases against the embedded EventStoreDB node over
// real gRPC (adapters/eventstore) and the filesystem blob store. It has no
// production code; the tests live in package appintegration_test so they
// may import adapters, which the application layer itself must not.
package appintegration
