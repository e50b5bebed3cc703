// Package staff is the StaffUser aggregate, stream "staff-<uuid>": an account
// of a city-hall employee who works in the Bürgerbüro as clerk
// (Sachbearbeiter:in, assigned to offices), auditor (Prüfer:in) or admin
// (manages staff accounts). It records who the account is (a username, never
// a display name), its roles, the offices a clerk may serve, the password hash
// and whether the account is disabled.
//
// Username uniqueness: a username is claimed by appending StaffUsernameClaimed
// to the deterministic stream UsernameStreamName(username) with "no stream"
// expected; the second claim of the same username fails with a conflict.
//
// This package decides and records events only. It never hashes or checks
// passwords (the application does that and passes a PHC-formatted hash in),
// does no I/O and never reads the clock.
package staff
