// Package readmodel holds the in-memory read models of the Bürgerbüro, each
// built by one projection (a readside.Handler) from the recorded events of
// $all and rebuilt from the start on every process start:
//
//   - Doors: the derived door state of every office (open, busy, paused,
//     closed), as domain/office defines it.
//   - Queues: each office's waiting visits in serving order with positions
//     and estimated waits (domain/queue), and each visit's status for the
//     citizen's waiting page.
//   - Calendar: booked appointments per office and Berlin day, and the free
//     slots left (domain/appointment.FreeSlots).
//   - Cases: case summaries per office and per clerk.
//   - Stats: daily figures per office.
//   - Timers: the due timers the readside.Scheduler fires.
//
// Every projection is safe for concurrent queries while it applies events,
// skips events at or before the last position it applied, and tells the
// readside.ChangeNotifier what it changed (outside its lock). Query methods
// take the instant to answer for; they return copies.
//
// Read models keep identifiers, states and times only: no names, codes,
// reasons or other free text from citizens. The package must not do I/O,
// read the clock, or import adapters.
package readmodel
