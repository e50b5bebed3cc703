package memstore_test

import (
	"testing"

	"github.com/buergerbuero/buergerbuero/application/eventlog/eventlogtest"
	"github.com/buergerbuero/buergerbuero/application/eventlog/memstore"
)

// TestAcceptance: the in-memory store passes the suite the event store
// adapter passes, so unit tests on it see the same semantics.
func TestAcceptance(t *testing.T) { eventlogtest.Run(t, memstore.New()) }
