package seed

import (
	"context"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
)

// Result counts what a seed run did.
type Result struct {
	Created  int
	Existing int
}

// Actor is the actor seed data is written by.
func Actor() domain.Actor {
	a, _ := domain.NewActor(domain.RoleSystem, "seed")
	return a
}

// Run establishes every demo office that does not exist yet.
func Run(ctx context.Context, establish offices.EstablishOfficeHandler) (Result, error) {
	var r Result
	c := command.Context{Actor: Actor()}
	for _, cmd := range Offices() {
		res, err := establish.Handle(ctx, c, cmd)
		if err != nil {
			return r, err
		}
		if res.Created {
			r.Created++
		} else {
			r.Existing++
		}
	}
	return r, nil
}
