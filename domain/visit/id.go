package visit

import (
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/domain"
)

// knockNamespace is the UUID v5 namespace for visit IDs derived from
// request IDs. Never change it: existing visit IDs depend on it.
var knockNamespace = uuid.MustParse("6f6c1f0e-4a1d-5d7e-9a51-6b6e6f636b21")

// IDForRequest derives the visit ID for a knock deterministically:
// UUIDv5(knockNamespace, office UUID bytes ‖ request UUID bytes). The same
// client request at the same office always yields the same visit stream.
func IDForRequest(office domain.OfficeID, request domain.RequestID) domain.VisitID {
	o, r := office.UUID(), request.UUID()
	return domain.IDFrom[domain.VisitID](uuid.NewSHA1(knockNamespace, append(o[:], r[:]...)))
}
