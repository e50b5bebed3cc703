package httpapitest

import (
	"context"
	"sync"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// projectingStore is the in-memory store with a synchronous read side:
// every append is applied to the read models before Append returns, in
// the order of $all.
type projectingStore struct {
	*memStore
	handlers []readside.Handler

	mu   sync.Mutex // serialises delivery
	next int        // index into memStore.all of the next event to deliver
}

func (p *projectingStore) Append(ctx context.Context, stream string, exp eventlog.Expected, events ...eventlog.NewEvent) (eventlog.AppendResult, error) {
	res, err := p.memStore.Append(ctx, stream, exp, events...)
	if err != nil {
		return res, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.memStore.mu.Lock()
	pending := append([]eventlog.RecordedEvent(nil), p.memStore.all[p.next:]...)
	p.next = len(p.memStore.all)
	p.memStore.mu.Unlock()
	for _, e := range pending {
		for _, h := range p.handlers {
			if err := h.Handle(ctx, e); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// caughtUp is the progress of a synchronous read side.
type caughtUp struct{}

func (caughtUp) WaitFor(context.Context, eventlog.Position) error { return nil }
