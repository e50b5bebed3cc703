package staff

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain/staff"
)

// MaxListed bounds List; the directory of one city holds hundreds of users.
const MaxListed = 1000

// List returns every staff account (at most MaxListed), ordered by username.
// It reads the directory stream and then each user's stream; directory
// entries of users that were never created are skipped.
func (s *Service) List(ctx context.Context) ([]Account, error) {
	evs, err := s.store.Load(ctx, staff.DirectoryStream)
	if errors.Is(err, eventlog.ErrStreamNotFound) {
		return []Account{}, nil
	}
	if err != nil {
		return nil, err
	}
	seen := map[staff.UserID]bool{}
	out := []Account{}
	for _, e := range evs {
		entry, ok := e.Event.(staff.StaffDirectoryEntryAdded)
		if !ok || seen[entry.UserID] {
			continue
		}
		seen[entry.UserID] = true
		acc, err := s.Get(ctx, entry.UserID)
		if errors.Is(err, staff.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, acc)
		if len(out) == MaxListed {
			break
		}
	}
	slices.SortFunc(out, func(a, b Account) int { return strings.Compare(a.Username, b.Username) })
	return out, nil
}
