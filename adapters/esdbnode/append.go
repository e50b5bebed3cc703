package esdbnode

import (
	"errors"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Append reads the options message and the proposed events, checks the
// required metadata and the append size as EventStoreDB does (while
// receiving), and appends through the engine. A failed expectation is a
// normal response carrying both the current and the 20.6 legacy fields.
func (s *streamsService) Append(stream streams.Streams_AppendServer) error {
	first, err := stream.Recv()
	if err != nil {
		return mapError("Append", "", err)
	}
	opts := first.GetOptions()
	if opts == nil {
		return errInvalid("the first append message must carry options")
	}
	name := string(opts.GetStreamIdentifier().GetStreamName())
	if name == "" {
		return errInvalid("stream name is empty")
	}
	exp, err := expectedFromAppend(opts)
	if err != nil {
		return err
	}

	var events []engine.ProposedEvent
	size := 0
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return mapError("Append", name, err)
		}
		pm := msg.GetProposedMessage()
		if pm == nil {
			return errInvalid("expected a proposed message after the options")
		}
		ev, err := proposedEvent(pm)
		if err != nil {
			return err
		}
		size += len(ev.Data) + len(ev.Metadata) + 2*len(ev.Type)
		if size > s.srv.opts.MaxAppendSize {
			return errMaxAppendSize(s.srv.opts.MaxAppendSize)
		}
		events = append(events, ev)
	}

	res, err := s.srv.store.Append(stream.Context(), name, exp, events)
	var wev *engine.WrongExpectedVersionError
	switch {
	case errors.As(err, &wev):
		return stream.SendAndClose(&streams.AppendResp{Result: &streams.AppendResp_WrongExpectedVersion_{
			WrongExpectedVersion: wrongExpectedVersion(opts, wev.Current),
		}})
	case errors.Is(err, engine.ErrTooLarge):
		return errMaxAppendSize(s.srv.opts.MaxAppendSize)
	case err != nil:
		return mapError("Append", name, err)
	}
	return stream.SendAndClose(&streams.AppendResp{Result: &streams.AppendResp_Success_{Success: appendSuccess(res)}})
}

// appendSuccess maps a result; an empty append to a missing stream has
// neither a revision nor a position, which EventStoreDB spells no_stream
// and no_position.
func appendSuccess(res engine.AppendResult) *streams.AppendResp_Success {
	ok := &streams.AppendResp_Success{}
	if res.Revision == engine.NoRevision {
		ok.CurrentRevisionOption = &streams.AppendResp_Success_NoStream{NoStream: &shared.Empty{}}
	} else {
		ok.CurrentRevisionOption = &streams.AppendResp_Success_CurrentRevision{CurrentRevision: res.Revision}
	}
	if res.Position == 0 {
		ok.PositionOption = &streams.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}}
	} else {
		ok.PositionOption = &streams.AppendResp_Success_Position{Position: &streams.AppendResp_Position{
			CommitPosition: uint64(res.Position), PreparePosition: uint64(res.Position),
		}}
	}
	return ok
}

func proposedEvent(pm *streams.AppendReq_ProposedMessage) (engine.ProposedEvent, error) {
	typ, ok := pm.GetMetadata()[metadataType]
	if !ok {
		return engine.ProposedEvent{}, errMissingMetadata(metadataType)
	}
	ct, ok := pm.GetMetadata()[metadataContentType]
	if !ok {
		return engine.ProposedEvent{}, errMissingMetadata(metadataContentType)
	}
	// EventStoreDB keeps only "is JSON": anything else reads back as octet-stream.
	if ct != contentTypeJSON {
		ct = contentTypeBinary
	}
	id, err := parseUUID(pm.GetId())
	if err != nil {
		return engine.ProposedEvent{}, err
	}
	return engine.ProposedEvent{ID: id, Type: typ, ContentType: ct, Data: pm.GetData(), Metadata: pm.GetCustomMetadata()}, nil
}

func expectedFromAppend(o *streams.AppendReq_Options) (engine.Expected, error) {
	switch v := o.GetExpectedStreamRevision().(type) {
	case *streams.AppendReq_Options_Revision:
		return engine.Expected{Kind: engine.ExpectExact, Revision: v.Revision}, nil
	case *streams.AppendReq_Options_NoStream:
		return engine.Expected{Kind: engine.ExpectNoStream}, nil
	case *streams.AppendReq_Options_Any:
		return engine.Expected{Kind: engine.ExpectAny}, nil
	case *streams.AppendReq_Options_StreamExists:
		return engine.Expected{Kind: engine.ExpectStreamExists}, nil
	default:
		return engine.Expected{}, errInvalid("expected stream revision is missing")
	}
}

// wrongExpectedVersion fills the current fields and the legacy 20.6 ones,
// as EventStoreDB 21.10+ does (expected no_stream is ulong.MaxValue there).
func wrongExpectedVersion(o *streams.AppendReq_Options, current uint64) *streams.AppendResp_WrongExpectedVersion {
	w := &streams.AppendResp_WrongExpectedVersion{}
	switch v := o.GetExpectedStreamRevision().(type) {
	case *streams.AppendReq_Options_Any:
		w.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_Any_20_6_0{Any_20_6_0: &shared.Empty{}}
	case *streams.AppendReq_Options_StreamExists:
		w.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_StreamExists_20_6_0{StreamExists_20_6_0: &shared.Empty{}}
	case *streams.AppendReq_Options_NoStream:
		w.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: ^uint64(0)}
	case *streams.AppendReq_Options_Revision:
		w.ExpectedRevisionOption = &streams.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: v.Revision}
		w.ExpectedRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: v.Revision}
	}
	if current == engine.NoRevision {
		w.CurrentRevisionOption = &streams.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
		w.CurrentRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_NoStream_20_6_0{NoStream_20_6_0: &shared.Empty{}}
	} else {
		w.CurrentRevisionOption = &streams.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: current}
		w.CurrentRevisionOption_20_6_0 = &streams.AppendResp_WrongExpectedVersion_CurrentRevision_20_6_0{CurrentRevision_20_6_0: current}
	}
	return w
}
