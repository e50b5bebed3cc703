package esdbnode

import (
	"testing"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

func TestPagerBoundsPageBytes(t *testing.T) {
	p := newPager(512)
	if got := p.size(); got != firstPage {
		t.Fatalf("first page %d, want %d", got, firstPage)
	}
	p.observe(make([]engine.RecordedEvent, 10)) // tiny events
	if got := p.size(); got != 512 {
		t.Fatalf("page after small events %d, want the maximum 512", got)
	}
	big := make([]engine.RecordedEvent, 3)
	for i := range big {
		big[i].Data = make([]byte, 1<<20)
	}
	p.observe(big)
	if got := p.size(); got < 1 || got*(1<<20) > 2*pageBudget {
		t.Fatalf("page after 1 MiB events %d: holds more than twice the budget", got)
	}
	p.observe(nil)
	if got := p.size(); got < 1 || got > 4 {
		t.Fatalf("an empty page changed the size to %d", got)
	}
	if got := newPager(8).size(); got != 8 {
		t.Fatalf("first page with max 8 is %d", got)
	}
}
