// Package queue orders an office's waiting visits (Warteschlange) and
// estimates waits. Everything here is a pure function of its arguments; the
// read model that keeps the entries lives in the application.
//
// Order: first the citizens with an appointment whose slot start is within
// the check-in window around now (default 10 min before to 15 min after),
// by slot start; then everyone else (walk-ins, and appointments outside the
// window) by knock time. Ties break by knock time, then visit ID, so the
// order is deterministic. A referred visit or one sent back to the waiting
// room keeps its original knock time and thus its place.
//
// Estimated wait for position p (1-based) with c clerks serving (on duty and
// not paused) and avg the mean of the recent call durations (the last
// RecentCalls, or DefaultCallDuration when there are none):
//
//	wait(p) = (⌊(p−1)/c⌋ + ½) · avg, rounded up to a whole minute
//
// i.e. the full rounds of calls ahead of you, plus on average half a call
// still running. With no clerk serving the wait is unknown.
package queue
