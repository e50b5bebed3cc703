package esdbnode

import (
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// A write the engine could not make durable (disk full) is Unavailable, so
// the official client reports ErrorUnavailable rather than an unknown error.
func TestFailedWriteIsUnavailable(t *testing.T) {
	err := mapError("Append", "s", fmt.Errorf("engine: %w: no space left on device", engine.ErrWriteFailed))
	if got := status.Code(err); got != codes.Unavailable {
		t.Fatalf("code %v, want Unavailable", got)
	}
}
