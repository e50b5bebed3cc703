package esdbnode_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func TestAppendExpectations(t *testing.T) {
	n := start(t)
	c := n.Client
	existing := streamName("existing")
	appendN(t, c, existing, 3) // revisions 0..2

	cases := []struct {
		name    string
		stream  string
		exp     esdb.ExpectedRevision
		wantErr bool
		wantRev uint64
	}{
		{"any on new stream", streamName("new"), esdb.Any{}, false, 0},
		{"no_stream on new stream", streamName("new"), esdb.NoStream{}, false, 0},
		{"stream_exists on new stream", streamName("new"), esdb.StreamExists{}, true, 0},
		{"exact on new stream", streamName("new"), esdb.Revision(0), true, 0},
		{"any on existing", existing, esdb.Any{}, false, 3},
		{"no_stream on existing", existing, esdb.NoStream{}, true, 0},
		{"stream_exists on existing", existing, esdb.StreamExists{}, false, 4},
		{"exact right", existing, esdb.Revision(4), false, 5},
		{"exact behind", existing, esdb.Revision(1), true, 0},
		{"exact ahead", existing, esdb.Revision(99), true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.AppendToStream(ctxT(t), tc.stream, esdb.AppendToStreamOptions{ExpectedRevision: tc.exp}, jsonEvent("Expected", 0))
			if tc.wantErr {
				if err == nil || esdbCode(t, err) != esdb.ErrorCodeWrongExpectedVersion {
					t.Fatalf("append: %v, want wrong expected version", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("append: %v", err)
			}
			if res.NextExpectedVersion != tc.wantRev {
				t.Fatalf("revision %d, want %d", res.NextExpectedVersion, tc.wantRev)
			}
			if res.CommitPosition == 0 || res.CommitPosition != res.PreparePosition {
				t.Fatalf("position %d/%d, want commit == prepare > 0", res.CommitPosition, res.PreparePosition)
			}
		})
	}
}

// appendRaw sends one append over the bare protocol and returns the response.
func appendRaw(t *testing.T, sc streams.StreamsClient, stream string, opts *streams.AppendReq_Options, msgs ...*streams.AppendReq_ProposedMessage) (*streams.AppendResp, metadata.MD, error) {
	t.Helper()
	var trailer metadata.MD
	cl, err := sc.Append(ctxT(t), grpcTrailer(&trailer))
	if err != nil {
		return nil, nil, err
	}
	opts.StreamIdentifier = &shared.StreamIdentifier{StreamName: []byte(stream)}
	if err := cl.Send(&streams.AppendReq{Content: &streams.AppendReq_Options_{Options: opts}}); err != nil {
		return nil, nil, err
	}
	for _, m := range msgs {
		if err := cl.Send(&streams.AppendReq{Content: &streams.AppendReq_ProposedMessage_{ProposedMessage: m}}); err != nil {
			break // the server ended the call; CloseAndRecv reports why
		}
	}
	resp, err := cl.CloseAndRecv()
	return resp, trailer, err
}

func proposed(typ, ct string, data []byte) *streams.AppendReq_ProposedMessage {
	md := map[string]string{}
	if typ != "" {
		md["type"] = typ
	}
	if ct != "" {
		md["content-type"] = ct
	}
	return &streams.AppendReq_ProposedMessage{
		Id:       &shared.UUID{Value: &shared.UUID_String_{String_: uuid.NewString()}},
		Metadata: md,
		Data:     data,
	}
}

func TestWrongExpectedVersionFillsCurrentAndLegacyFields(t *testing.T) {
	n := start(t)
	sc := rawStreams(t, n.Addr())
	existing := streamName("wev")
	appendN(t, n.Client, existing, 2) // current revision 1
	missing := streamName("wev-missing")
	ev := func() *streams.AppendReq_ProposedMessage { return proposed("T", "application/json", []byte("{}")) }

	t.Run("no_stream on existing", func(t *testing.T) {
		resp, _, err := appendRaw(t, sc, existing, &streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_NoStream{NoStream: &shared.Empty{}}}, ev())
		if err != nil {
			t.Fatal(err)
		}
		w := resp.GetWrongExpectedVersion()
		if w == nil || w.GetCurrentRevision() != 1 || w.GetCurrentRevision_20_6_0() != 1 {
			t.Fatalf("current revision fields of %v, want 1 and 1", w)
		}
		if w.GetExpectedNoStream() == nil || w.GetExpectedRevision_20_6_0() != ^uint64(0) {
			t.Fatalf("expected fields of %v, want no_stream and legacy MaxUint64", w)
		}
	})
	t.Run("exact on missing", func(t *testing.T) {
		resp, _, err := appendRaw(t, sc, missing, &streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_Revision{Revision: 5}}, ev())
		if err != nil {
			t.Fatal(err)
		}
		w := resp.GetWrongExpectedVersion()
		if w.GetCurrentNoStream() == nil || w.GetNoStream_20_6_0() == nil {
			t.Fatalf("current fields of %v, want no stream in both", w)
		}
		if w.GetExpectedRevision() != 5 || w.GetExpectedRevision_20_6_0() != 5 {
			t.Fatalf("expected fields of %v, want 5 and 5", w)
		}
	})
	t.Run("stream_exists on missing", func(t *testing.T) {
		resp, _, err := appendRaw(t, sc, missing, &streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_StreamExists{StreamExists: &shared.Empty{}}}, ev())
		if err != nil {
			t.Fatal(err)
		}
		w := resp.GetWrongExpectedVersion()
		if w.GetExpectedStreamExists() == nil || w.GetStreamExists_20_6_0() == nil || w.GetCurrentNoStream() == nil {
			t.Fatalf("fields of %v, want stream_exists in both and current no stream", w)
		}
	})
	t.Run("message through the official client", func(t *testing.T) {
		_, err := n.Client.AppendToStream(ctxT(t), existing, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(7)}, jsonEvent("T", 0))
		if err == nil || !strings.Contains(err.Error(), "expecting '7' but got '1'") {
			t.Fatalf("error %v, want it to name expected 7 and current 1", err)
		}
	})
}

func TestIdempotentAppend(t *testing.T) {
	n := start(t)
	c := n.Client
	s := streamName("idem")
	evs := []esdb.EventData{jsonEvent("A", 0), jsonEvent("B", 1), jsonEvent("C", 2)}

	first, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, evs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("same ids and expectation give the same result", func(t *testing.T) {
		again, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, evs...)
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		if again.NextExpectedVersion != first.NextExpectedVersion {
			t.Fatalf("retry revision %d, want %d", again.NextExpectedVersion, first.NextExpectedVersion)
		}
		if got := mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 100); len(got) != 3 {
			t.Fatalf("%d events after retry, want 3", len(got))
		}
	})
	t.Run("retry with any is idempotent too", func(t *testing.T) {
		if _, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}}, evs...); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if got := mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 100); len(got) != 3 {
			t.Fatalf("%d events after retry, want 3", len(got))
		}
	})
	t.Run("partial match is a wrong expected version", func(t *testing.T) {
		partial := []esdb.EventData{evs[0], evs[1], jsonEvent("D", 3)}
		_, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, partial...)
		if err == nil || esdbCode(t, err) != esdb.ErrorCodeWrongExpectedVersion {
			t.Fatalf("partial retry: %v, want wrong expected version", err)
		}
		if got := mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 100); len(got) != 3 {
			t.Fatalf("%d events after partial retry, want 3", len(got))
		}
	})
}

func TestAppendRequiresTypeAndContentType(t *testing.T) {
	n := start(t)
	sc := rawStreams(t, n.Addr())
	any := &streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_Any{Any: &shared.Empty{}}}
	for _, tc := range []struct{ name, typ, ct, missing string }{
		{"missing type", "", "application/json", "type"},
		{"missing content-type", "T", "", "content-type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := streamName("meta")
			_, trailer, err := appendRaw(t, sc, s, any, proposed(tc.typ, tc.ct, []byte("{}")))
			if status.Code(err) != codes.InvalidArgument {
				t.Fatalf("append: %v, want InvalidArgument", err)
			}
			if got := trailer.Get("exception"); len(got) != 1 || got[0] != "missing-required-metadata-property" {
				t.Fatalf("exception trailer %v", got)
			}
			if !strings.Contains(status.Convert(err).Message(), tc.missing) {
				t.Fatalf("message %q does not name %q", status.Convert(err).Message(), tc.missing)
			}
			if _, err := readStream(t, n.Client, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10); err == nil || esdbCode(t, err) != esdb.ErrorCodeResourceNotFound {
				t.Fatalf("stream after rejected append: %v, want not found", err)
			}
		})
	}
}

func TestAppendSizeLimit(t *testing.T) {
	n := start(t)
	big := bytes.Repeat([]byte("x"), 1<<20+1)
	t.Run("official client gets an error", func(t *testing.T) {
		_, err := n.Client.AppendToStream(ctxT(t), streamName("big"), esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}},
			esdb.EventData{EventType: "Big", ContentType: esdb.ContentTypeBinary, Data: big})
		if err == nil {
			t.Fatal("append of more than 1 MiB succeeded")
		}
	})
	t.Run("wire shape, also above gRPC's default 4 MiB message limit", func(t *testing.T) {
		_, trailer, err := appendRaw(t, rawStreams(t, n.Addr()), streamName("big"),
			&streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_Any{Any: &shared.Empty{}}},
			proposed("Big", "application/octet-stream", bytes.Repeat(big, 5)))
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("append: %v, want InvalidArgument", err)
		}
		if got := trailer.Get("exception"); len(got) != 1 || got[0] != "maximum-append-size-exceeded" {
			t.Fatalf("exception trailer %v", got)
		}
		if got := trailer.Get("maximum-append-size"); len(got) != 1 || got[0] != "1048576" {
			t.Fatalf("maximum-append-size trailer %v", got)
		}
	})
	t.Run("many small events summing over the limit", func(t *testing.T) {
		evs := make([]esdb.EventData, 5)
		for i := range evs {
			evs[i] = esdb.EventData{EventType: "Chunk", ContentType: esdb.ContentTypeBinary, Data: big[:300<<10]}
		}
		if _, err := n.Client.AppendToStream(ctxT(t), streamName("sum"), esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}}, evs...); err == nil {
			t.Fatal("append of 1.5 MiB in five events succeeded")
		}
	})
}

func TestRecordedEventsCarryServerMetadata(t *testing.T) {
	n := start(t)
	s := streamName("created")
	before := time.Now()
	appendN(t, n.Client, s, 1)
	after := time.Now()
	evs := mustReadStream(t, n.Client, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 1)
	ev := evs[0].OriginalEvent()
	for _, k := range []string{"type", "content-type", "created"} {
		if ev.SystemMetadata[k] == "" {
			t.Errorf("system metadata %q missing in %v", k, ev.SystemMetadata)
		}
	}
	if ev.EventType != "Tested" || ev.ContentType != "application/json" {
		t.Errorf("type %q content type %q", ev.EventType, ev.ContentType)
	}
	if ev.CreatedDate.Before(before.Add(-time.Second)) || ev.CreatedDate.After(after.Add(time.Second)) {
		t.Errorf("created %v not between %v and %v", ev.CreatedDate, before, after)
	}
	if string(ev.UserMetadata) != `{"m":true}` {
		t.Errorf("custom metadata %q", ev.UserMetadata)
	}
}

func TestAppendOfNoEvents(t *testing.T) {
	n := start(t)
	sc := rawStreams(t, n.Addr())
	noStream := &streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_NoStream{NoStream: &shared.Empty{}}}
	s := streamName("empty")
	resp, _, err := appendRaw(t, sc, s, noStream)
	if err != nil {
		t.Fatal(err)
	}
	if ok := resp.GetSuccess(); ok.GetNoStream() == nil || ok.GetNoPosition() == nil {
		t.Fatalf("empty append to a new stream: %v, want no_stream and no_position", resp)
	}
	appendN(t, n.Client, s, 2)
	resp, _, err = appendRaw(t, sc, s, &streams.AppendReq_Options{ExpectedStreamRevision: &streams.AppendReq_Options_Revision{Revision: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if ok := resp.GetSuccess(); ok.GetCurrentRevision() != 1 || ok.GetPosition().GetCommitPosition() == 0 {
		t.Fatalf("empty append at revision 1: %v, want current revision 1 with a position", resp)
	}
	resp, _, err = appendRaw(t, sc, s, noStream)
	if err != nil || resp.GetWrongExpectedVersion().GetCurrentRevision() != 1 {
		t.Fatalf("empty append expecting no stream: %v, %v, want wrong expected version at 1", resp, err)
	}
}
