package esdbnode

import (
	"errors"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// A subscription is a cursor over durable data: it reads pages from the
// engine, sends them, and when a page comes back short (the end of the log)
// it sends caught_up once and waits on engine.Changed() for the next commit.
// Catch-up and live are the same loop, so the hand-off can neither skip nor
// repeat an event, and a slow client only ever holds back its own loop.

func sendConfirmation(out streams.Streams_ReadServer) error {
	return out.Send(&streams.ReadResp{Content: &streams.ReadResp_Confirmation{
		Confirmation: &streams.ReadResp_SubscriptionConfirmation{SubscriptionId: uuid.NewString()},
	}})
}

func sendCaughtUp(out streams.Streams_ReadServer) error {
	return out.Send(&streams.ReadResp{Content: &streams.ReadResp_CaughtUp_{CaughtUp: &streams.ReadResp_CaughtUp{}}})
}

func sendCheckpoint(out streams.Streams_ReadServer, p engine.Position) error {
	return out.Send(&streams.ReadResp{Content: &streams.ReadResp_Checkpoint_{Checkpoint: &streams.ReadResp_Checkpoint{
		CommitPosition: uint64(p), PreparePosition: uint64(p),
	}}})
}

// wait blocks until changed fires, the call ends or the server stops.
func (s *streamsService) wait(out streams.Streams_ReadServer, changed <-chan struct{}) error {
	select {
	case <-changed:
		return nil
	case <-out.Context().Done():
		return mapError("Read", "", out.Context().Err())
	case <-s.srv.stopping:
		return errShuttingDown
	}
}

// subscribeStream delivers the events of one stream after the start
// revision (exclusive, as EventStoreDB), then live ones.
func (s *streamsService) subscribeStream(so *streams.ReadReq_Options_StreamOptions, structured bool, out streams.Streams_ReadServer) error {
	name := string(so.GetStreamIdentifier().GetStreamName())
	if name == "" {
		return errInvalid("stream name is empty")
	}
	var next uint64
	switch v := so.GetRevisionOption().(type) {
	case *streams.ReadReq_Options_StreamOptions_Revision:
		next = v.Revision + 1
	case *streams.ReadReq_Options_StreamOptions_End:
		last, err := s.srv.store.ReadStream(name, 0, true, engine.Backwards, 1)
		switch {
		case err == nil && len(last) == 1:
			next = last[0].Revision + 1
		case err == nil, errors.Is(err, engine.ErrStreamNotFound), errors.Is(err, engine.ErrStreamDeleted):
			// nothing to skip; a tombstone is reported by the loop below
		default:
			return mapError("Read", name, err)
		}
	}
	if err := sendConfirmation(out); err != nil {
		return err
	}
	pg := newPager(s.srv.opts.ReadPageSize)
	w := wireEvent{structured: structured}
	caughtUp := false
	for {
		changed := s.srv.store.Changed()
		page := pg.size()
		evs, err := s.srv.store.ReadStream(name, next, false, engine.Forwards, page)
		pg.observe(evs)
		switch {
		case errors.Is(err, engine.ErrStreamNotFound):
			evs = nil
		case err != nil:
			return mapError("Read", name, err)
		}
		for i := range evs {
			if evs[i].Revision < next {
				continue
			}
			w.ev = &evs[i]
			if err := out.SendMsg(&w); err != nil {
				return err
			}
			next = evs[i].Revision + 1
		}
		if uint64(len(evs)) == page {
			continue
		}
		if !caughtUp {
			caughtUp = true
			if err := sendCaughtUp(out); err != nil {
				return err
			}
		}
		if err := s.wait(out, changed); err != nil {
			return err
		}
	}
}

// subscribeAll delivers the events of $all after the start position
// (exclusive, as EventStoreDB), filtered if asked, then live ones. A
// filtered subscription also gets a checkpoint every checkpointEvery
// examined events and one just before caught_up, each further than the last.
func (s *streamsService) subscribeAll(ao *streams.ReadReq_Options_AllOptions, fo *streams.ReadReq_Options_FilterOptions, structured bool, out streams.Streams_ReadServer) error {
	filter, err := newEventFilter(fo)
	if err != nil {
		return err
	}
	var after engine.Position
	switch v := ao.GetAllOption().(type) {
	case *streams.ReadReq_Options_AllOptions_Position:
		after = engine.Position(v.Position.GetCommitPosition())
	case *streams.ReadReq_Options_AllOptions_End:
		after = s.srv.store.Head()
	}
	if err := sendConfirmation(out); err != nil {
		return err
	}
	pg := newPager(s.srv.opts.ReadPageSize)
	w := wireEvent{structured: structured}
	// As EventStoreDB, send only checkpoints that advance, and none before
	// the first event of the log was examined.
	var checkpointed engine.Position
	checkpoint := func(p engine.Position) error {
		if p <= checkpointed {
			return nil
		}
		checkpointed = p
		return sendCheckpoint(out, p)
	}
	// Reading from the last position seen (an event boundary, cheap for the
	// engine) returns that event again; the loop drops everything <= lastSeen.
	cursor := after
	lastSeen := after
	var examined uint64
	caughtUp := false
	for {
		changed := s.srv.store.Changed()
		page := pg.size()
		evs, err := s.srv.store.ReadAll(cursor, false, engine.Forwards, page+1)
		if err != nil {
			return mapError("Read", "$all", err)
		}
		pg.observe(evs)
		for i := range evs {
			ev := &evs[i]
			if ev.Position <= lastSeen {
				continue
			}
			lastSeen = ev.Position
			if filter == nil || filter.match(ev) {
				w.ev = ev
				if err := out.SendMsg(&w); err != nil {
					return err
				}
			}
			if filter != nil {
				examined++
				if examined >= filter.checkpointEvery {
					examined = 0
					if err := checkpoint(lastSeen); err != nil {
						return err
					}
				}
			}
		}
		cursor = lastSeen
		if uint64(len(evs)) == page+1 {
			continue
		}
		if !caughtUp {
			caughtUp = true
			if filter != nil {
				if err := checkpoint(lastSeen); err != nil {
					return err
				}
			}
			if err := sendCaughtUp(out); err != nil {
				return err
			}
		}
		if err := s.wait(out, changed); err != nil {
			return err
		}
	}
}
