// Package stack is the product as the end-to-end browser tests run it:
// adapters/system/systemtest with a clock that runs with real time from a
// Monday morning and quick page heartbeats. It is for tests only.
package stack

import (
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/system"
	"github.com/buergerbuero/buergerbuero/adapters/system/systemtest"
)

// Monday10 is when the stack's clock starts.
var Monday10 = systemtest.Monday10

// Password of every account Account creates.
const Password = systemtest.Password

// Stack is a running product.
type Stack = systemtest.Stack

// Start wires and starts everything; t.Cleanup stops it.
func Start(t testing.TB) *Stack {
	t.Helper()
	return systemtest.Start(t, systemtest.Options{
		RealTime: true,
		Adjust:   func(c *system.Config) { c.PageHeartbeat = 2 * time.Second },
	})
}
