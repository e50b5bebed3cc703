// Package application is the use-case layer of the Virtuelles Bürgerbüro:
// one Application value with every command and query handler (all that the
// HTTP layer sees), the policies the read-side router delivers events to,
// the timer actions the read side's scheduler fires, and EventTypes, the
// complete list of event types for the event store's registry.
//
// The use cases live in the subpackages (offices, visits, appointments,
// cases, audit, policies, seed; shared plumbing in command). This package
// only wires them from one validated Config. It must not import adapters,
// HTTP, the event-store client, Pion or Huma.
package application
