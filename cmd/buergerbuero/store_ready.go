package main

import "context"

// storeReady is the readiness condition of the embedded node's writes for
// /healthz: an error while the node cannot write (disk full), nil when it
// can or when the store is external.
func storeReady(cfg serveConfig) func(context.Context) error {
	return func(context.Context) error {
		if cfg.storeHealth == nil {
			return nil
		}
		return cfg.storeHealth()
	}
}
