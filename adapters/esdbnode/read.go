package esdbnode

import (
	"errors"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Read serves reads (with a count) and catch-up subscriptions (with the
// subscription option), of one stream or of $all.
func (s *streamsService) Read(req *streams.ReadReq, out streams.Streams_ReadServer) error {
	o := req.GetOptions()
	if o == nil {
		return errInvalid("read options are missing")
	}
	structured := o.GetUuidOption().GetString_() == nil
	backwards := o.GetReadDirection() == streams.ReadReq_Options_Backwards
	switch o.GetCountOption().(type) {
	case *streams.ReadReq_Options_Subscription:
		if backwards {
			return errInvalid("subscriptions read forwards only")
		}
		if so := o.GetStream(); so != nil {
			return s.subscribeStream(so, structured, out)
		}
		if ao := o.GetAll(); ao != nil {
			return s.subscribeAll(ao, o.GetFilter(), structured, out)
		}
	case *streams.ReadReq_Options_Count:
		if o.GetFilter() != nil {
			return errInvalid("filtered reads are not supported; use a filtered subscription")
		}
		if so := o.GetStream(); so != nil {
			return s.readStream(so, backwards, o.GetCount(), structured, out)
		}
		if ao := o.GetAll(); ao != nil {
			return s.readAll(ao, backwards, o.GetCount(), structured, out)
		}
	}
	return errInvalid("read needs a stream or $all, and a count or the subscription option")
}

// readStream sends up to count events of one stream, page by page. A
// missing or soft-deleted stream is a stream_not_found message, a
// tombstoned one the stream-deleted error, as in EventStoreDB.
func (s *streamsService) readStream(so *streams.ReadReq_Options_StreamOptions, backwards bool, count uint64, structured bool, out streams.Streams_ReadServer) error {
	name := string(so.GetStreamIdentifier().GetStreamName())
	if name == "" {
		return errInvalid("stream name is empty")
	}
	dir := engine.Forwards
	if backwards {
		dir = engine.Backwards
	}
	var from uint64
	fromEnd := false
	switch v := so.GetRevisionOption().(type) {
	case *streams.ReadReq_Options_StreamOptions_Revision:
		from = v.Revision
	case *streams.ReadReq_Options_StreamOptions_End:
		fromEnd = true
	}
	ctx := out.Context()
	pg := newPager(s.srv.opts.ReadPageSize)
	w := wireEvent{structured: structured}
	first := true
	for count > 0 {
		n := min(count, pg.size())
		evs, err := s.srv.store.ReadStream(name, from, fromEnd, dir, n)
		pg.observe(evs)
		switch {
		case errors.Is(err, engine.ErrStreamNotFound):
			if !first {
				return nil
			}
			return out.Send(&streams.ReadResp{Content: &streams.ReadResp_StreamNotFound_{StreamNotFound: &streams.ReadResp_StreamNotFound{
				StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(name)},
			}}})
		case err != nil:
			return mapError("Read", name, err)
		}
		first = false
		for i := range evs {
			w.ev = &evs[i]
			if err := out.SendMsg(&w); err != nil {
				return err
			}
		}
		count -= uint64(len(evs))
		if uint64(len(evs)) < n {
			return nil
		}
		last := evs[len(evs)-1].Revision
		fromEnd = false
		if backwards {
			if last == 0 {
				return nil
			}
			from = last - 1
		} else {
			from = last + 1
		}
		if err := ctx.Err(); err != nil {
			return mapError("Read", name, err)
		}
	}
	return nil
}

// readAll sends up to count events of the whole log, system and metadata
// events included. Forwards from a position includes the event at it;
// backwards from a position starts with the event before it.
func (s *streamsService) readAll(ao *streams.ReadReq_Options_AllOptions, backwards bool, count uint64, structured bool, out streams.Streams_ReadServer) error {
	dir := engine.Forwards
	if backwards {
		dir = engine.Backwards
	}
	var from engine.Position
	fromEnd := false
	switch v := ao.GetAllOption().(type) {
	case *streams.ReadReq_Options_AllOptions_Position:
		from = engine.Position(v.Position.GetCommitPosition())
	case *streams.ReadReq_Options_AllOptions_End:
		fromEnd = true
	}
	if fromEnd && !backwards {
		return nil // nothing lies after the end
	}
	ctx := out.Context()
	pg := newPager(s.srv.opts.ReadPageSize)
	w := wireEvent{structured: structured}
	resumed := false // from is the position of an event already sent
	for count > 0 {
		n := min(count, pg.size())
		ask := n
		if resumed {
			ask++ // the first one is the event already sent
		}
		evs, err := s.srv.store.ReadAll(from, fromEnd, dir, ask)
		if err != nil {
			return mapError("Read", "$all", err)
		}
		pg.observe(evs)
		sent := evs
		if resumed && len(sent) > 0 && sent[0].Position == from {
			sent = sent[1:]
		}
		sent = sent[:min(uint64(len(sent)), n)]
		for i := range sent {
			w.ev = &sent[i]
			if err := out.SendMsg(&w); err != nil {
				return err
			}
		}
		count -= uint64(len(sent))
		if uint64(len(evs)) < ask || len(sent) == 0 {
			return nil
		}
		fromEnd = false
		from, resumed = resumeAt(sent[len(sent)-1].Position, dir)
		if err := ctx.Err(); err != nil {
			return mapError("Read", "$all", err)
		}
	}
	return nil
}

// resumeAt is where the page after an event at p starts. Backwards reads
// exclude their start, so they resume at p. Forwards reads include it; they
// also resume at p (an event boundary, which the engine finds directly) and
// drop that first event again, which resumed reports.
func resumeAt(p engine.Position, dir engine.Direction) (from engine.Position, resumed bool) {
	return p, dir == engine.Forwards
}
