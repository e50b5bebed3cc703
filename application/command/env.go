package command

import (
	"errors"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// Env is what every handler needs: the event store, the clock and the
// identifier source. Handlers take it by value and refuse an incomplete one.
type Env struct {
	Store eventlog.Store
	Clock Clock
	IDs   IDs
}

// Validate reports every missing dependency.
func (e Env) Validate() error {
	var errs []error
	if e.Store == nil {
		errs = append(errs, errors.New("command: env needs a store"))
	}
	if e.Clock == nil {
		errs = append(errs, errors.New("command: env needs a clock"))
	}
	if e.IDs == nil {
		errs = append(errs, errors.New("command: env needs IDs"))
	}
	return errors.Join(errs...)
}

// Meta returns the metadata for a command issued now with context c.
func (e Env) Meta(c Context) eventlog.Metadata {
	return c.Metadata(e.Clock.Now(), e.IDs.NewUUID)
}
