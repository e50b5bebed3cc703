// Package domain is the shared kernel of the Virtuelles Bürgerbüro domain model:
// the Event interface, the aggregate bookkeeping (Base), typed identifiers,
// the Actor (role and ID, never a name) and categorised errors.
//
// The subpackages hold the aggregates (office, visit, appointment, casefile),
// their events and rules, and pure functions (hours, queue).
//
// Conventions every aggregate follows:
//
//   - Create: a package-level decider (e.g. visit.Knock, casefile.Open) that
//     validates a command and returns a new aggregate holding its first events.
//   - Load: FromEvents(history) rehydrates an aggregate from its stream; an
//     unknown event type is an error.
//   - Decide: behaviour methods validate and record new events; every recorded
//     event is applied at once, so the aggregate is never stale.
//   - Save: Changes() are the uncommitted events; Version() is the number of
//     events loaded by FromEvents (0 for a new aggregate). The event store
//     appends Changes() with expected revision Version()-1, or "no stream" when
//     Version() is 0.
//   - Events are plain value structs (never pointers) with JSON tags and an
//     EventType() name that is past tense and unique in the system. Each
//     package exports EventTypes() with zero values for an explicit registry.
//   - Fields tagged `pii:"true"` hold personal data (names, free text from or
//     about citizens, file names) and are to be encrypted per citizen
//     (crypto-shredding) by the persistence layer.
//
// This package and its subpackages must not do I/O, must not read the clock
// (times are passed in), and import only the standard library,
// github.com/google/uuid and each other.
package domain
