// Package readside holds the contracts of the read side: the Handler every
// projection, notifier feed and timer model implements; Tracker, which makes
// handlers idempotent under at-least-once delivery; Replaying, which tells a
// handler that an event comes from the backlog replayed on start; the
// ChangeNotifier port that tells live views (server-sent events) what moved,
// with Fanout, its in-memory implementation; and the Scheduler that fires
// due timers (visit expiry, appointment no-show) through the TimerActions
// command port.
//
// It must not import adapters, Watermill, net/http or the event-store
// client: the delivery of recorded events (adapters/eventbus) and the
// commands behind TimerActions (application use cases) are wired in by the
// composition root.
package readside
