// Package eventbus carries recorded events from the event store to the read
// side through Watermill.
//
// A Forwarder follows $all (eventlog.Store.SubscribeAll) from a checkpoint
// and publishes every recorded event as one Watermill message: the UUID is
// the event ID, the payload the stored data, the metadata the position,
// stream, revision, type, recorded time, raw stored metadata and the decoded
// event metadata (IDs, role, times — never personal data), plus the current
// payload when the stored one was upcast and a replay mark for events of the
// backlog. A Router runs one Watermill handler that decodes each message back
// into an eventlog.RecordedEvent and calls every readside.Handler in turn,
// with panic recovery, retries and a poison queue for permanent failures.
// Logs carry IDs, handler names, event types and positions only, never
// payloads.
//
// NewLocal wires both over an in-process GoChannel for one machine, with
// ordered delivery (a publish returns once every handler has acknowledged),
// a Ready signal once the backlog is projected and WaitFor for
// read-your-writes. In process the message context carries the event the
// forwarder decoded, so nothing is decoded twice.
//
// Several instances: every instance keeps its own in-memory read models, so
// it runs its own Forwarder and Router exactly as NewLocal does (each
// follows $all itself; nothing is shared). NATS JetStream is only needed for
// work that must run once across instances (policies that issue commands,
// timers); such a handler subscribes to a JetStream stream with one durable
// consumer shared by all instances, fed by one Forwarder (leader) or by all
// of them with JetStream's message de-duplication on the message UUID (the
// event ID). That is not implemented yet: NewForwarder and NewRouter accept
// any Watermill publisher and subscriber (watermill-nats/v2 with JetStream,
// a durable consumer per handler group, one message in flight per consumer
// to keep order), but over a remote broker a publish returns before the
// handlers ran, so the forwarder's progress (Ready, WaitFor) would mean
// "published"; such a setup must report progress from the handlers instead.
//
// Checkpoints: a Forwarder with a CheckpointStore (the policies' bus, a
// FileCheckpoint under <data>/checkpoints/) checks the loaded position
// against the end of $all when the store can tell it (EndOfAll, which
// adapters/eventstore and memstore implement). A checkpoint past the end —
// the log was cut, or events/ was restored from an older backup than
// checkpoints/ — would make the subscription skip every event until the
// store grew past it, so policies would silently miss work (a citizen who
// came recorded as a no-show). Such a checkpoint is reset: one ERROR log
// line names the checkpoint file and both positions, and $all is replayed
// from the start. Policies are idempotent (deterministic event IDs), so the
// replay repeats nothing that is stored and redoes what the cut lost.
//
// This package does no business logic and keeps no read models.
package eventbus
