package policies

import (
	"context"
	"errors"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Policy is one named event handler. It implements readside.Handler.
type Policy struct {
	name    string
	streams []string // stream prefixes it reacts to, for subscription filters
	handle  func(ctx context.Context, pc command.Context, w command.Write, e eventlog.RecordedEvent) error
	env     command.Env
}

// Name is the stable handler name.
func (p Policy) Name() string { return p.name }

// StreamPrefixes lists the stream categories the policy reads.
func (p Policy) StreamPrefixes() []string { return append([]string(nil), p.streams...) }

// Handle reacts to one recorded event; events of other types are ignored.
func (p Policy) Handle(ctx context.Context, e eventlog.RecordedEvent) error {
	pc, err := command.CausedBy(p.name, e)
	if err != nil {
		return err
	}
	w := command.PolicyWrite(p.env.Meta(pc), p.name, e.ID)
	return swallowDecisions(p.handle(ctx, pc, w, e))
}

// swallowDecisions keeps errors worth a retry and drops domain refusals.
func swallowDecisions(err error) error {
	if err == nil || errors.Is(err, command.ErrConcurrentChange) {
		return err
	}
	switch domain.CategoryOf(err) {
	case domain.CategoryPrecondition, domain.CategoryConflict, domain.CategoryInvalid, domain.CategoryForbidden:
		return nil
	}
	return err
}
