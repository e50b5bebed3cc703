// Package seed creates the demo offices of a city (Bürgerdienste,
// Ausländerbehörde, Standesamt) with their services, Berlin-time opening
// hours and holidays. Office, department and service IDs are derived from
// fixed names, so seeding twice changes nothing and links stay stable.
//
// It goes through the offices use cases like any admin would; it must not
// write events itself or import adapters.
package seed
