// Package eventlog declares what the application needs of an event store:
// append with an expected revision, load a stream, and follow $all from a
// checkpoint. It also holds the event metadata every event carries and the
// hash chain that makes case histories tamper-evident, the Ed25519
// signatures over it (Seal, Keyring) and the Merkle checkpoints over all
// chained streams' heads (Tree, SignedTreeHead).
//
// It is a port: it declares interfaces and value types and implements no
// storage. The adapter in adapters/eventstore implements it with the official
// EventStoreDB client; nothing here may import an adapter, a client library or
// do I/O.
package eventlog
