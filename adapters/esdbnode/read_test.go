package esdbnode_test

import (
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

func TestReadStream(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("read")
	appendN(t, c, s, 10)

	cases := []struct {
		name  string
		opts  esdb.ReadStreamOptions
		count uint64
		want  []uint64
	}{
		{"forwards from start", esdb.ReadStreamOptions{From: esdb.Start{}}, 100, []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"forwards with count", esdb.ReadStreamOptions{From: esdb.Start{}}, 3, []uint64{0, 1, 2}},
		{"forwards from revision", esdb.ReadStreamOptions{From: esdb.Revision(7)}, 100, []uint64{7, 8, 9}},
		{"forwards from end", esdb.ReadStreamOptions{From: esdb.End{}}, 100, nil},
		{"backwards from end", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 4, []uint64{9, 8, 7, 6}},
		{"backwards from revision", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Revision(2)}, 100, []uint64{2, 1, 0}},
		{"backwards from start", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Start{}}, 100, []uint64{0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs := mustReadStream(t, c, s, tc.opts, tc.count)
			if got := revisions(evs); !slices.Equal(got, tc.want) {
				t.Fatalf("revisions %v, want %v", got, tc.want)
			}
			for _, ev := range evs {
				if ev.OriginalEvent().StreamID != s || ev.OriginalEvent().Position.Commit == 0 {
					t.Fatalf("event %+v lacks stream or position", ev.OriginalEvent())
				}
			}
		})
	}
	t.Run("pages larger than the server's page size", func(t *testing.T) {
		big := streamName("big")
		for range 3 {
			appendN(t, c, big, 400)
		}
		evs := mustReadStream(t, c, big, esdb.ReadStreamOptions{From: esdb.Start{}}, 2000)
		if len(evs) != 1200 || evs[1199].OriginalEvent().EventNumber != 1199 {
			t.Fatalf("read %d events", len(evs))
		}
		back := mustReadStream(t, c, big, esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1000)
		if len(back) != 1000 || back[999].OriginalEvent().EventNumber != 200 {
			t.Fatalf("backwards read %d events", len(back))
		}
	})
	t.Run("missing stream is not found", func(t *testing.T) {
		_, err := readStream(t, c, streamName("missing"), esdb.ReadStreamOptions{From: esdb.Start{}}, 10)
		if err == nil || esdbCode(t, err) != esdb.ErrorCodeResourceNotFound {
			t.Fatalf("read: %v, want resource not found", err)
		}
	})
}

func TestReadAll(t *testing.T) {
	n := start(t)
	c := n.Client
	a, b := streamName("all-a"), streamName("all-b")
	var positions []uint64
	for i := range 5 {
		for _, s := range []string{a, b} {
			res, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{}, jsonEvent("AllTested", i))
			if err != nil {
				t.Fatal(err)
			}
			positions = append(positions, res.CommitPosition)
		}
	}
	if !slices.IsSorted(positions) {
		t.Fatalf("append positions %v not increasing", positions)
	}

	fwd := mustReadAll(t, c, esdb.ReadAllOptions{From: esdb.Start{}}, 10000)
	var mine []uint64
	for _, ev := range fwd {
		if s := ev.OriginalEvent().StreamID; s == a || s == b {
			mine = append(mine, ev.OriginalEvent().Position.Commit)
		}
	}
	if !slices.Equal(mine, positions) {
		t.Fatalf("$all positions %v, want %v", mine, positions)
	}
	for i := 1; i < len(fwd); i++ {
		if fwd[i].OriginalEvent().Position.Commit <= fwd[i-1].OriginalEvent().Position.Commit {
			t.Fatalf("$all not ordered at %d", i)
		}
	}

	t.Run("backwards from end with count", func(t *testing.T) {
		back := mustReadAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 3)
		got := []uint64{back[0].OriginalEvent().Position.Commit, back[1].OriginalEvent().Position.Commit, back[2].OriginalEvent().Position.Commit}
		want := []uint64{positions[9], positions[8], positions[7]}
		if !slices.Equal(got, want) {
			t.Fatalf("positions %v, want %v", got, want)
		}
	})
	t.Run("forwards from a position includes it", func(t *testing.T) {
		from := esdb.Position{Commit: positions[4], Prepare: positions[4]}
		evs := mustReadAll(t, c, esdb.ReadAllOptions{From: from}, 2)
		if len(evs) != 2 || evs[0].OriginalEvent().Position.Commit != positions[4] || evs[1].OriginalEvent().Position.Commit != positions[5] {
			t.Fatalf("read %d events from %d", len(evs), positions[4])
		}
	})
	t.Run("backwards from a position excludes it", func(t *testing.T) {
		from := esdb.Position{Commit: positions[4], Prepare: positions[4]}
		evs := mustReadAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: from}, 1)
		if len(evs) != 1 || evs[0].OriginalEvent().Position.Commit != positions[3] {
			t.Fatalf("read %v, want the event at %d", evs, positions[3])
		}
	})
	t.Run("forwards from end is empty", func(t *testing.T) {
		if evs := mustReadAll(t, c, esdb.ReadAllOptions{From: esdb.End{}}, 10); len(evs) != 0 {
			t.Fatalf("read %d events", len(evs))
		}
	})
	t.Run("includes metadata and system events", func(t *testing.T) {
		var meta esdb.StreamMetadata
		meta.SetMaxCount(100)
		if _, err := c.SetStreamMetadata(ctxT(t), a, esdb.AppendToStreamOptions{}, meta); err != nil {
			t.Fatal(err)
		}
		evs := mustReadAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)
		if got := evs[0].OriginalEvent(); got.StreamID != "$$"+a || got.EventType != "$metadata" {
			t.Fatalf("last $all event %s/%s, want the metadata event", got.StreamID, got.EventType)
		}
	})
}

func TestReadHonoursUUIDOption(t *testing.T) {
	n := start(t)
	s := streamName("uuid")
	ev := jsonEvent("U", 0)
	if _, err := n.Client.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{}, ev); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opt  *streams.ReadReq_Options_UUIDOption
	}{
		{"string", &streams.ReadReq_Options_UUIDOption{Content: &streams.ReadReq_Options_UUIDOption_String_{String_: &shared.Empty{}}}},
		{"structured", &streams.ReadReq_Options_UUIDOption{Content: &streams.ReadReq_Options_UUIDOption_Structured{Structured: &shared.Empty{}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, err := rawStreams(t, n.Addr()).Read(ctxT(t), &streams.ReadReq{Options: &streams.ReadReq_Options{
				StreamOption: &streams.ReadReq_Options_Stream{Stream: &streams.ReadReq_Options_StreamOptions{
					StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(s)},
					RevisionOption:   &streams.ReadReq_Options_StreamOptions_Start{Start: &shared.Empty{}},
				}},
				CountOption:  &streams.ReadReq_Options_Count{Count: 1},
				FilterOption: &streams.ReadReq_Options_NoFilter{NoFilter: &shared.Empty{}},
				UuidOption:   tc.opt,
			}})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rc.Recv()
			if err != nil {
				t.Fatal(err)
			}
			id := resp.GetEvent().GetEvent().GetId()
			if tc.name == "string" {
				if id.GetString_() != ev.EventID.String() {
					t.Fatalf("id %v, want string %s", id, ev.EventID)
				}
			} else if id.GetStructured() == nil {
				t.Fatalf("id %v, want structured", id)
			}
			if _, err := rc.Recv(); !errors.Is(err, io.EOF) {
				t.Fatalf("after one event: %v, want EOF", err)
			}
		})
	}
	evs := mustReadStream(t, n.Client, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 1)
	if evs[0].OriginalEvent().EventID != ev.EventID {
		t.Fatalf("structured id read back as %s, want %s", evs[0].OriginalEvent().EventID, ev.EventID)
	}
}
