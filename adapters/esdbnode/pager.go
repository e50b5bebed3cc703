package esdbnode

import "github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"

// pageBudget bounds the bytes one page of events holds in memory. A page is
// all a read or subscription ever buffers, so this is the per-call bound.
const pageBudget = 4 << 20

// firstPage is the size of a first page, before event sizes are known.
const firstPage = 32

// pager sizes pages by count (at most max) and by bytes (about pageBudget):
// pages of small events grow to max, pages of large events shrink, so a
// stream of 1 MiB events is never read 512 at a time.
type pager struct {
	max  uint64
	next uint64
}

func newPager(max int) *pager {
	return &pager{max: uint64(max), next: min(uint64(max), firstPage)}
}

// size is the number of events to ask for next.
func (p *pager) size() uint64 { return p.next }

// observe adapts the next page's size to the events just read.
func (p *pager) observe(evs []engine.RecordedEvent) {
	if len(evs) == 0 {
		return
	}
	var bytes uint64
	for i := range evs {
		bytes += uint64(len(evs[i].Data) + len(evs[i].Metadata) + len(evs[i].Stream) + len(evs[i].Type) + 64)
	}
	per := max(1, bytes/uint64(len(evs)))
	p.next = min(p.max, max(1, pageBudget/per))
}
