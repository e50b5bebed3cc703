package esdbnode_test

import (
	"slices"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func TestSoftDeleteAndUndelete(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("soft")
	appendN(t, c, s, 3)
	res, err := c.DeleteStream(ctxT(t), s, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Revision(2)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Position.Commit == 0 {
		t.Fatal("delete returned no position")
	}
	if _, err := readStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10); err == nil || esdbCode(t, err) != esdb.ErrorCodeResourceNotFound {
		t.Fatalf("read after soft delete: %v, want not found", err)
	}
	w, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}}, jsonEvent("Again", 0))
	if err != nil {
		t.Fatalf("append after soft delete: %v", err)
	}
	if w.NextExpectedVersion != 3 {
		t.Fatalf("revision after undelete %d, want 3 (revisions continue)", w.NextExpectedVersion)
	}
	if got := revisions(mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10)); !slices.Equal(got, []uint64{3}) {
		t.Fatalf("revisions after undelete %v, want [3]", got)
	}
}

func TestDeleteWrongExpectedVersion(t *testing.T) {
	n := start(t)
	s := streamName("delwev")
	appendN(t, n.Client, s, 2)
	_, err := n.Client.DeleteStream(ctxT(t), s, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Revision(5)})
	if err == nil {
		t.Fatal("delete with a wrong revision succeeded")
	}
	var trailer metadata.MD
	_, err = rawStreams(t, n.Addr()).Delete(ctxT(t), &streams.DeleteReq{Options: &streams.DeleteReq_Options{
		StreamIdentifier:       &shared.StreamIdentifier{StreamName: []byte(s)},
		ExpectedStreamRevision: &streams.DeleteReq_Options_Revision{Revision: 5},
	}}, grpcTrailer(&trailer))
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("raw delete: %v, want FailedPrecondition", err)
	}
	for k, want := range map[string]string{"exception": "wrong-expected-version", "stream-name": s, "expected-version": "5", "actual-version": "1"} {
		if got := trailer.Get(k); len(got) != 1 || got[0] != want {
			t.Errorf("trailer %s = %v, want %s", k, got, want)
		}
	}
	if evs := mustReadStream(t, n.Client, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10); len(evs) != 2 {
		t.Fatalf("%d events after failed delete, want 2", len(evs))
	}
}

func TestTombstone(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("hard")
	appendN(t, c, s, 2)
	res, err := c.TombstoneStream(ctxT(t), s, esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Revision(1)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Position.Commit == 0 {
		t.Fatal("tombstone returned no position")
	}
	deleted := func(t *testing.T, what string, err error) {
		t.Helper()
		if err == nil || esdbCode(t, err) != esdb.ErrorCodeStreamDeleted {
			t.Fatalf("%s on a tombstoned stream: %v, want stream deleted", what, err)
		}
	}
	t.Run("read", func(t *testing.T) {
		_, err := readStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10)
		deleted(t, "read", err)
	})
	t.Run("append", func(t *testing.T) {
		_, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}}, jsonEvent("X", 0))
		deleted(t, "append", err)
	})
	t.Run("delete", func(t *testing.T) {
		_, err := c.DeleteStream(ctxT(t), s, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Any{}})
		deleted(t, "delete", err)
	})
	t.Run("tombstone again", func(t *testing.T) {
		_, err := c.TombstoneStream(ctxT(t), s, esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Any{}})
		deleted(t, "tombstone", err)
	})
	t.Run("$all shows the tombstone", func(t *testing.T) {
		evs := mustReadAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)
		if ev := evs[0].OriginalEvent(); ev.StreamID != s || ev.EventType != "$streamDeleted" {
			t.Fatalf("last $all event %s/%s, want %s/$streamDeleted", ev.StreamID, ev.EventType, s)
		}
	})
}

func TestStreamMetadata(t *testing.T) {
	n := start(t)
	c := n.Client
	t.Run("round trip", func(t *testing.T) {
		s := streamName("meta")
		var m esdb.StreamMetadata
		m.SetMaxCount(3)
		m.AddCustomProperty("owner", "test")
		if _, err := c.SetStreamMetadata(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, m); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetStreamMetadata(ctxT(t), s, esdb.ReadStreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.MaxCount() == nil || *got.MaxCount() != 3 || got.CustomProperty("owner") != "test" {
			t.Fatalf("metadata read back as %+v", got)
		}
	})
	t.Run("no metadata is a missing metastream, as in EventStoreDB", func(t *testing.T) {
		s := streamName("nometa")
		appendN(t, c, s, 1)
		_, err := c.GetStreamMetadata(ctxT(t), s, esdb.ReadStreamOptions{})
		if err == nil || esdbCode(t, err) != esdb.ErrorCodeResourceNotFound {
			t.Fatalf("metadata of a stream without any: %v, want resource not found", err)
		}
	})
	t.Run("max count", func(t *testing.T) {
		s := streamName("maxcount")
		appendN(t, c, s, 10)
		var m esdb.StreamMetadata
		m.SetMaxCount(3)
		if _, err := c.SetStreamMetadata(ctxT(t), s, esdb.AppendToStreamOptions{}, m); err != nil {
			t.Fatal(err)
		}
		if got := revisions(mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 100)); !slices.Equal(got, []uint64{7, 8, 9}) {
			t.Fatalf("revisions %v, want [7 8 9]", got)
		}
	})
	t.Run("truncate before", func(t *testing.T) {
		s := streamName("tb")
		appendN(t, c, s, 6)
		var m esdb.StreamMetadata
		m.SetTruncateBefore(4)
		if _, err := c.SetStreamMetadata(ctxT(t), s, esdb.AppendToStreamOptions{}, m); err != nil {
			t.Fatal(err)
		}
		if got := revisions(mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 100)); !slices.Equal(got, []uint64{4, 5}) {
			t.Fatalf("revisions %v, want [4 5]", got)
		}
		if got := revisions(mustReadStream(t, c, s, esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 100)); !slices.Equal(got, []uint64{5, 4}) {
			t.Fatalf("backwards revisions %v, want [5 4]", got)
		}
	})
}

// EventStoreDB lets a tombstone of a missing stream succeed when the
// expectation allows it (any, no_stream) and refuses an exact revision for
// either delete. (Its current client suite no longer asserts that a soft
// delete of a missing stream succeeds; the engine answers wrong version.)
func TestDeleteMissingStream(t *testing.T) {
	n := start(t)
	c := n.Client
	for _, exp := range []esdb.ExpectedRevision{esdb.Any{}, esdb.NoStream{}} {
		if _, err := c.TombstoneStream(ctxT(t), streamName("gone"), esdb.TombstoneStreamOptions{ExpectedRevision: exp}); err != nil {
			t.Errorf("tombstone of a missing stream expecting %T: %v", exp, err)
		}
	}
	if _, err := c.DeleteStream(ctxT(t), streamName("gone"), esdb.DeleteStreamOptions{ExpectedRevision: esdb.Revision(0)}); err == nil {
		t.Error("soft delete of a missing stream expecting revision 0 succeeded")
	}
	if _, err := c.TombstoneStream(ctxT(t), streamName("gone"), esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Revision(0)}); err == nil {
		t.Error("tombstone of a missing stream expecting revision 0 succeeded")
	}
}
