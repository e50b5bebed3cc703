package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestStoreReadyFollowsTheNodesWriteHealth(t *testing.T) {
	var health error
	ready := storeReady(serveConfig{storeHealth: func() error { return health }})
	if err := ready(context.Background()); err != nil {
		t.Fatalf("healthy store not ready: %v", err)
	}
	health = fmt.Errorf("%w: no space left on device", engine.ErrWriteFailed)
	if err := ready(context.Background()); err == nil {
		t.Fatal("store that cannot write is ready")
	}
	if err := storeReady(serveConfig{})(context.Background()); err != nil {
		t.Fatalf("external store not ready: %v", err)
	}
}
