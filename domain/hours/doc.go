// Package hours models opening hours (Öffnungszeiten): a weekly schedule with
// several intervals per weekday plus dated exceptions (holidays, closures,
// special hours), always in Europe/Berlin wall-clock time and DST-correct.
//
// Schedule is an immutable value built from Spec, its plain JSON form that
// events carry. All functions are pure; callers pass the instant to ask about.
// The package embeds the time zone database (time/tzdata) so it works on
// machines without zoneinfo. It must not read the clock or do I/O.
package hours
