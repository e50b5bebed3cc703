package visits

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

// Names of the policies whose work the visit handlers also do at once, so
// the clerk's office state and the case are consistent the moment the
// command returns. Both write with the same derived event IDs (from the
// causing event's ID), so whichever runs second writes nothing.
const (
	OpenCasePolicy            = "OpenCaseOnVisitAdmitted"
	ClerkInCallPolicy         = "MarkClerkInCallOnVisitAdmitted"
	FreeClerkOnEndedPolicy    = "FreeClerkOnVisitEnded"
	FreeClerkOnReturnedPolicy = "FreeClerkOnVisitReturnedToWaitingRoom"
)

// PolicyWrite is the context and write policy uses when it reacts to the
// event cause (correlated with correlation): the system actor named after
// the policy and event IDs derived from cause.
func PolicyWrite(env command.Env, policy string, correlation, cause uuid.UUID) (command.Context, command.Write) {
	actor, _ := domain.NewActor(domain.RoleSystem, policy)
	pc := command.Context{Actor: actor, CorrelationID: correlation, CausationID: cause}
	return pc, command.PolicyWrite(env.Meta(pc), policy, cause)
}

// OpenCaseWrite is PolicyWrite for OpenCaseOnVisitAdmitted.
func OpenCaseWrite(env command.Env, correlation, admittedID uuid.UUID) (command.Context, command.Write) {
	return PolicyWrite(env, OpenCasePolicy, correlation, admittedID)
}

// drawIDs draws the IDs of the events a command will append, so the
// handler knows the causing event's ID before the append.
func (d deps) drawIDs(meta command.Write) ([2]uuid.UUID, command.Write) {
	ids := [2]uuid.UUID{d.Env.IDs.NewUUID(), d.Env.IDs.NewUUID()}
	meta.EventID = func(i int) uuid.UUID {
		if i < len(ids) {
			return ids[i]
		}
		return command.DeriveID("visit-event", ids[0].String(), fmt.Sprint(i))
	}
	return ids, meta
}

// indexOf returns the index of the first change of type typ, or -1.
func indexOf(changes []domain.Event, typ string) int {
	for i, e := range changes {
		if e.EventType() == typ {
			return i
		}
	}
	return -1
}

// freeClerk does what FreeClerkOn… does for the event cause. A failure is
// left to the policy (the visit command itself succeeded).
func (d deps) freeClerk(ctx context.Context, policy string, o domain.OfficeID, clerk domain.ClerkID, v domain.VisitID, correlation, cause uuid.UUID) {
	_, w := PolicyWrite(d.Env, policy, correlation, cause)
	_, _, _ = d.offices.Update(ctx, office.StreamName(o), w, func(of *office.Office) error {
		return of.EndCall(clerk, v, w.Meta.OccurredAt)
	})
}
