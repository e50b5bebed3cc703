// Package staff holds the use cases of staff accounts: create a user, set a
// password, assign a clerk's offices, disable a user, verify a login, list
// and read accounts, and seed the demo users of `serve --demo`. It persists
// the domain/staff aggregate through the eventlog.Store port (streams
// "staff-<uuid>", username claims in "staffusername-<uuidv5>", and the
// directory stream staff.DirectoryStream) and hashes passwords with argon2id.
//
// It must not import adapters, net/http or Huma, must not log, and never
// returns or stores a plain password except the generated demo password,
// which SeedDemo hands back once so the operator can read it.
package staff
