package esdbnode_test

import (
	"sync"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// TestWritersRacingWithExactRevisions: 32 writers each try to append the
// next revision; exactly one wins each revision, the rest get a wrong
// expected version, and the stream ends up with one event per revision.
func TestWritersRacingWithExactRevisions(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("race")
	appendN(t, c, s, 1) // revision 0
	const writers, rounds = 32, 10

	for round := range rounds {
		expected := uint64(round)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		var other []error
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(expected)}, jsonEvent("Raced", w))
				mu.Lock()
				defer mu.Unlock()
				var e *esdb.Error
				switch {
				case err == nil:
					wins++
				case asErr(err, &e) && e.Code() == esdb.ErrorCodeWrongExpectedVersion:
					conflicts++
				default:
					other = append(other, err)
				}
			}()
		}
		wg.Wait()
		if len(other) > 0 || wins != 1 || conflicts != writers-1 {
			t.Fatalf("round %d: %d wins, %d conflicts, other errors %v", round, wins, conflicts, other)
		}
	}
	evs := mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 1000)
	if len(evs) != rounds+1 {
		t.Fatalf("%d events, want %d", len(evs), rounds+1)
	}
}
