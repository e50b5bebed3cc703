package eventbus

import (
	"container/heap"
	"context"
	"sync"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

// progress is the position up to which every handler has applied $all, and
// whether the backlog has been projected. Waiters sit in a heap by position
// and only those now covered are woken, so thousands of waiting requests
// cost nothing per event.
type progress struct {
	mu      sync.Mutex
	pos     eventlog.Position
	any     bool
	waiters waiterHeap
	ready   chan struct{} // closed once caught up
	isReady bool
}

type waiter struct {
	pos  eventlog.Position
	done chan struct{}
}

type waiterHeap []*waiter

func (h waiterHeap) Len() int           { return len(h) }
func (h waiterHeap) Less(i, j int) bool { return readside.Before(h[i].pos, h[j].pos) }
func (h waiterHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *waiterHeap) Push(x any)        { *h = append(*h, x.(*waiter)) }
func (h *waiterHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return w
}

func newProgress() *progress {
	return &progress{ready: make(chan struct{})}
}

// advance moves the watermark to p if p is later and wakes covered waiters.
func (p *progress) advance(to eventlog.Position) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.any && !readside.Before(p.pos, to) {
		return
	}
	p.pos, p.any = to, true
	for len(p.waiters) > 0 && !readside.Before(to, p.waiters[0].pos) {
		close(heap.Pop(&p.waiters).(*waiter).done)
	}
}

// caughtUp marks the backlog as projected.
func (p *progress) caughtUp() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isReady {
		p.isReady = true
		close(p.ready)
	}
}

// isCaughtUp reports whether the backlog has been projected.
func (p *progress) isCaughtUp() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.isReady
}

// current returns the watermark; ok is false before the first event.
func (p *progress) current() (eventlog.Position, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pos, p.any
}

// waitFor blocks until the watermark is at or after pos, or ctx ends.
func (p *progress) waitFor(ctx context.Context, pos eventlog.Position) error {
	p.mu.Lock()
	if p.any && !readside.Before(p.pos, pos) {
		p.mu.Unlock()
		return nil
	}
	w := &waiter{pos: pos, done: make(chan struct{})}
	heap.Push(&p.waiters, w)
	p.mu.Unlock()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		defer p.mu.Unlock()
		for i, x := range p.waiters {
			if x == w {
				heap.Remove(&p.waiters, i)
				break
			}
		}
		return ctx.Err()
	}
}
