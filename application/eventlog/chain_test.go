package eventlog_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// chain builds n events of one stream linked by their hashes, as the
// application writes them.
func chain(n int) []eventlog.RecordedEvent {
	var evs []eventlog.RecordedEvent
	prev := ""
	for i := 0; i < n; i++ {
		e := eventlog.RecordedEvent{
			Revision:    uint64(i),
			ID:          uuid.New(),
			Type:        "CaseNoteAdded",
			Data:        []byte(`{"n":` + string(rune('0'+i)) + `}`),
			Meta:        eventlog.Metadata{PrevHash: prev},
			RawMetadata: []byte(`{"prevHash":"` + prev + `"}`),
		}
		prev = eventlog.Hash(e)
		evs = append(evs, e)
	}
	return evs
}

func TestVerifyChain(t *testing.T) {
	cases := []struct {
		name     string
		tamper   func([]eventlog.RecordedEvent) []eventlog.RecordedEvent
		wantRev  uint64
		wantFail bool
	}{
		{name: "intact", tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent { return e }},
		{name: "altered data", wantFail: true, wantRev: 2, tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent {
			e[1].Data = []byte(`{"n":9}`)
			return e
		}},
		{name: "altered type", wantFail: true, wantRev: 3, tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent {
			e[2].Type = "CaseClosed"
			return e
		}},
		{name: "removed event", wantFail: true, wantRev: 2, tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent {
			return append(e[:1:1], e[2:]...)
		}},
		{name: "removed and renumbered", wantFail: true, wantRev: 1, tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent {
			out := append(e[:1:1], e[2:]...)
			for i := range out {
				out[i].Revision = uint64(i)
			}
			return out
		}},
		{name: "reordered", wantFail: true, wantRev: 1, tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent {
			e[1], e[2] = e[2], e[1]
			e[1].Revision, e[2].Revision = 1, 2
			return e
		}},
		{name: "first event claims a predecessor", wantFail: true, wantRev: 0, tamper: func(e []eventlog.RecordedEvent) []eventlog.RecordedEvent {
			e[0].Meta.PrevHash = "00"
			return e
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head, err := eventlog.VerifyChain(c.tamper(chain(5)))
			if !c.wantFail {
				if err != nil || head == "" {
					t.Fatalf("VerifyChain = %q, %v; want a head and no error", head, err)
				}
				return
			}
			var br eventlog.ChainBreak
			if !errors.As(err, &br) {
				t.Fatalf("VerifyChain error = %v, want a ChainBreak", err)
			}
			if br.Revision != c.wantRev {
				t.Errorf("break at revision %d, want %d", br.Revision, c.wantRev)
			}
		})
	}
}

func TestHashDependsOnEveryPart(t *testing.T) {
	base := chain(1)[0]
	h := eventlog.Hash(base)
	variants := map[string]func(*eventlog.RecordedEvent){
		"id":       func(e *eventlog.RecordedEvent) { e.ID = uuid.New() },
		"type":     func(e *eventlog.RecordedEvent) { e.Type += "x" },
		"data":     func(e *eventlog.RecordedEvent) { e.Data = append([]byte{}, 'x') },
		"metadata": func(e *eventlog.RecordedEvent) { e.RawMetadata = []byte(`{}`) },
		"boundary": func(e *eventlog.RecordedEvent) { e.Type, e.Data = e.Type+"{", e.Data[1:] },
	}
	for name, change := range variants {
		e := base
		change(&e)
		if eventlog.Hash(e) == h {
			t.Errorf("changing the %s did not change the hash", name)
		}
	}
}
