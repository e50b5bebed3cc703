// Package hours models opening hours (Öffnungszeiten): a weekly schedule with
// several intervals per weekday plus dated exceptions (holidays, closures,
// special hours), always in Europe/Berlin wall-clock time and DST-correct.
//
// Schedule is an immutable value built from Spec, its plain JSON form that
// events carry. All functions are pure; callers pass the instant to ask about.
// Wall times skipped in spring move forward (02:30 → 03:30); wall times that
// occur twice in autumn (02:00–03:00) resolve to one of the two instants, so
// interval boundaries should avoid that hour.
//
// The package embeds the time zone database (time/tzdata) so it works on
// machines without zoneinfo. It must not read the clock or do I/O.
package hours
