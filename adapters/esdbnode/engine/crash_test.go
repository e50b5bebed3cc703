package engine_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
	"github.com/google/uuid"
)

const crashDirEnv = "ENGINE_CRASH_TEST_DIR"

// TestCrashKeepsEveryAcknowledgedAppend runs the engine in a child process
// (this test binary, re-executed), lets it append concurrently and print
// every acknowledged event, kills it with SIGKILL mid-flight, then reopens
// the store: every acknowledged event must be there exactly once, in order.
func TestCrashKeepsEveryAcknowledgedAppend(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashChild(dir)
		return
	}
	for round := 0; round < 2; round++ { // the second round crashes an already recovered store
		dir := t.TempDir()
		if round == 1 {
			runCrashChild(t, dir, 200)
		}
		acked := runCrashChild(t, dir, 400)
		verifyCrash(t, dir, acked)
	}
}

type ack struct {
	id     uuid.UUID
	stream string
	rev    uint64
}

func runCrashChild(t *testing.T, dir string, acks int) []ack {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsEveryAcknowledgedAppend$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var got []ack
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(60 * time.Second)
	for sc.Scan() && len(got) < acks && time.Now().Before(deadline) {
		f := strings.Fields(sc.Text())
		if len(f) != 4 || f[0] != "ack" {
			continue
		}
		rev, _ := strconv.ParseUint(f[3], 10, 64)
		got = append(got, ack{id: uuid.MustParse(f[1]), stream: f[2], rev: rev})
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Acknowledgements already in the pipe count too.
	go func() { _, _ = bufio.NewReader(out).WriteTo(discard{}) }()
	_ = cmd.Wait()
	if len(got) < acks {
		t.Fatalf("child acknowledged only %d appends", len(got))
	}
	return got
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func verifyCrash(t *testing.T, dir string, acked []ack) {
	t.Helper()
	e := open(t, dir, engine.Options{})
	all := readAll(t, e)
	count := map[uuid.UUID]int{}
	for _, ev := range all {
		count[ev.ID]++
	}
	last := map[string]uint64{}
	for i, a := range acked {
		if count[a.id] != 1 {
			t.Fatalf("acknowledged event %d (%s) found %d times", i, a.id, count[a.id])
		}
		got, err := e.ReadStream(a.stream, a.rev, false, engine.Forwards, 1)
		if err != nil || len(got) != 1 || got[0].ID != a.id {
			t.Fatalf("acknowledged %s@%d not at its revision: %v", a.stream, a.rev, err)
		}
		if prev, ok := last[a.stream]; ok && a.rev <= prev {
			t.Fatalf("acknowledgements of %s out of order: %d after %d", a.stream, a.rev, prev)
		}
		last[a.stream] = a.rev
	}
	if segs, _ := filepath.Glob(filepath.Join(dir, "*.seg")); len(segs) < 2 {
		t.Fatalf("%d segment files: the crash test must cross a segment roll", len(segs))
	}
	// The recovered store takes new writes.
	mustAppend(t, e, "after-crash", noStream, evs(1)...)
}

// crashChild appends until it is killed.
func crashChild(dir string) {
	e, err := engine.Open(dir, engine.Options{SegmentSize: 64 << 10}) // small: the kill may land mid-roll
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	for w := 0; w < 8; w++ {
		go func() {
			stream := fmt.Sprintf("crash-%d-%s", w, uuid.NewString()[:8])
			exp := engine.Expected{Kind: engine.ExpectNoStream}
			for i := 0; ; i++ {
				batch := make([]engine.ProposedEvent, 1+i%3)
				for j := range batch {
					batch[j] = engine.ProposedEvent{ID: uuid.New(), Type: "Crash", ContentType: "application/json",
						Data: []byte(strings.Repeat("x", 100*(i%5)))}
				}
				res, err := e.Append(context.Background(), stream, exp, batch)
				if err != nil {
					fmt.Fprintln(os.Stderr, "child append:", err)
					os.Exit(3)
				}
				mu.Lock()
				for j, ev := range batch {
					fmt.Fprintf(os.Stdout, "ack %s %s %d\n", ev.ID, stream, res.Revision-uint64(len(batch)-1-j))
				}
				mu.Unlock()
				exp = engine.Expected{Kind: engine.ExpectExact, Revision: res.Revision}
			}
		}()
	}
	select {}
}
