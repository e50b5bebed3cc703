// Package eventstore implements the application's event port
// (application/eventlog.Store) with the official EventStoreDB client,
// github.com/EventStore/EventStore-Client-Go/v4. It works the same against
// the embedded node (adapters/esdbnode) and a real KurrentDB/EventStoreDB.
//
// It owns the wire format: JSON payloads decoded through an explicit
// Registry of event types (no init-time globals), the metadata JSON every
// event carries, upcasting of old payload versions, and the mapping of the
// client's errors onto eventlog's typed errors. It holds no business rules
// and must not log event payloads (they may hold personal data).
package eventstore
