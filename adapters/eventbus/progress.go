package eventbus

import (
	"context"
	"sync"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// progress is the position up to which every handler has applied $all, and
// whether the backlog has been projected. Waiters are woken when it moves.
type progress struct {
	mu       sync.Mutex
	pos      eventlog.Position
	any      bool
	moved    chan struct{} // closed and replaced on every advance
	ready    chan struct{} // closed once caught up
	isReady  bool
	readyPos eventlog.Position
}

func newProgress() *progress {
	return &progress{moved: make(chan struct{}), ready: make(chan struct{})}
}

// advance moves the watermark to p if p is later.
func (p *progress) advance(to eventlog.Position) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.any && !readside.Before(p.pos, to) {
		return
	}
	p.pos, p.any = to, true
	close(p.moved)
	p.moved = make(chan struct{})
}

// caughtUp marks the backlog as projected.
func (p *progress) caughtUp() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isReady {
		p.isReady, p.readyPos = true, p.pos
		close(p.ready)
	}
}

// current returns the watermark; ok is false before the first event.
func (p *progress) current() (eventlog.Position, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pos, p.any
}

// waitFor blocks until the watermark is at or after pos, or ctx ends.
func (p *progress) waitFor(ctx context.Context, pos eventlog.Position) error {
	for {
		p.mu.Lock()
		done := p.any && !readside.Before(p.pos, pos)
		moved := p.moved
		p.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-moved:
		}
	}
}
