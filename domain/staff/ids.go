package staff

import (
	"strings"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
)

type userKind struct{}

// UserID identifies a staff user. A clerk's UserID and ClerkID are the same
// UUID (see User.ClerkID).
type UserID = domain.ID[userKind]

// StreamName returns "staff-<uuid>".
func StreamName(id UserID) string { return "staff-" + id.String() }

// usernameNamespace is the UUIDv5 namespace of username claim streams. It
// must never change: it makes the claim stream of a username deterministic.
var usernameNamespace = uuid.MustParse("6f0c1c4e-5a53-4d0e-9d1e-3a7f3c2b9a10")

// UsernameStreamName returns the claim stream of a username,
// "staffusername-<uuidv5>"; the name itself does not appear in the stream
// name, and different spellings of one normalised username share a stream.
// The prefix differs from "staff-" so subscriptions to staff users do not see
// claims.
func UsernameStreamName(normalised string) string {
	return "staffusername-" + uuid.NewSHA1(usernameNamespace, []byte(strings.ToLower(normalised))).String()
}

// DirectoryStream is the one stream listing every staff user
// (StaffDirectoryEntryAdded); staff accounts number in the hundreds.
const DirectoryStream = "staffdirectory-5e1c2a9b-7d3f-4b6e-8a0c-1f2e3d4c5b6a"
