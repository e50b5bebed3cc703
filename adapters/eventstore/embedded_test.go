package eventstore_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

// startEmbedded runs the embedded node on a free port over a temporary
// directory and returns a client connected to it over real gRPC.
func startEmbedded(t *testing.T) *esdb.Client { return esdbnodetest.Start(t).Client }
