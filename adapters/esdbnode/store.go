package esdbnode

import (
	"context"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Store is what the server needs from the storage engine. *engine.Engine
// satisfies it; the interface lives here, next to its only user.
type Store interface {
	Append(ctx context.Context, stream string, exp engine.Expected, events []engine.ProposedEvent) (engine.AppendResult, error)
	Delete(ctx context.Context, stream string, exp engine.Expected) (engine.Position, error)
	Tombstone(ctx context.Context, stream string, exp engine.Expected) (engine.Position, error)
	ReadStream(stream string, from uint64, fromEnd bool, dir engine.Direction, max uint64) ([]engine.RecordedEvent, error)
	ReadAll(from engine.Position, fromEnd bool, dir engine.Direction, max uint64) ([]engine.RecordedEvent, error)
	Head() engine.Position
	Changed() <-chan struct{}
}
