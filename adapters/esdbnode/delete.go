package esdbnode

import (
	"context"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Delete soft-deletes a stream (its metadata gets a truncate-before); the
// stream can be written again and continues its revisions.
func (s *streamsService) Delete(ctx context.Context, req *streams.DeleteReq) (*streams.DeleteResp, error) {
	o := req.GetOptions()
	name := string(o.GetStreamIdentifier().GetStreamName())
	if name == "" {
		return nil, errInvalid("stream name is empty")
	}
	exp, err := expectedFromDelete(o.GetExpectedStreamRevision())
	if err != nil {
		return nil, err
	}
	pos, err := s.srv.store.Delete(ctx, name, exp)
	if err != nil {
		return nil, mapError("Delete", name, err)
	}
	if pos == 0 {
		return &streams.DeleteResp{PositionOption: &streams.DeleteResp_NoPosition{NoPosition: &shared.Empty{}}}, nil
	}
	return &streams.DeleteResp{PositionOption: &streams.DeleteResp_Position_{Position: &streams.DeleteResp_Position{
		CommitPosition: uint64(pos), PreparePosition: uint64(pos),
	}}}, nil
}

// Tombstone hard-deletes a stream: it can never be read or written again.
func (s *streamsService) Tombstone(ctx context.Context, req *streams.TombstoneReq) (*streams.TombstoneResp, error) {
	o := req.GetOptions()
	name := string(o.GetStreamIdentifier().GetStreamName())
	if name == "" {
		return nil, errInvalid("stream name is empty")
	}
	exp, err := expectedFromTombstone(o.GetExpectedStreamRevision())
	if err != nil {
		return nil, err
	}
	pos, err := s.srv.store.Tombstone(ctx, name, exp)
	if err != nil {
		return nil, mapError("Delete", name, err)
	}
	if pos == 0 {
		return &streams.TombstoneResp{PositionOption: &streams.TombstoneResp_NoPosition{NoPosition: &shared.Empty{}}}, nil
	}
	return &streams.TombstoneResp{PositionOption: &streams.TombstoneResp_Position_{Position: &streams.TombstoneResp_Position{
		CommitPosition: uint64(pos), PreparePosition: uint64(pos),
	}}}, nil
}

func expectedFromDelete(v any) (engine.Expected, error) {
	switch v := v.(type) {
	case *streams.DeleteReq_Options_Revision:
		return engine.Expected{Kind: engine.ExpectExact, Revision: v.Revision}, nil
	case *streams.DeleteReq_Options_NoStream:
		return engine.Expected{Kind: engine.ExpectNoStream}, nil
	case *streams.DeleteReq_Options_Any:
		return engine.Expected{Kind: engine.ExpectAny}, nil
	case *streams.DeleteReq_Options_StreamExists:
		return engine.Expected{Kind: engine.ExpectStreamExists}, nil
	default:
		return engine.Expected{}, errInvalid("expected stream revision is missing")
	}
}

func expectedFromTombstone(v any) (engine.Expected, error) {
	switch v := v.(type) {
	case *streams.TombstoneReq_Options_Revision:
		return engine.Expected{Kind: engine.ExpectExact, Revision: v.Revision}, nil
	case *streams.TombstoneReq_Options_NoStream:
		return engine.Expected{Kind: engine.ExpectNoStream}, nil
	case *streams.TombstoneReq_Options_Any:
		return engine.Expected{Kind: engine.ExpectAny}, nil
	case *streams.TombstoneReq_Options_StreamExists:
		return engine.Expected{Kind: engine.ExpectStreamExists}, nil
	default:
		return engine.Expected{}, errInvalid("expected stream revision is missing")
	}
}
