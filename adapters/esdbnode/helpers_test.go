package esdbnode_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

// testTimeout bounds every call so a broken server fails a test instead of hanging it.
const testTimeout = 30 * time.Second

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func streamName(prefix string) string { return prefix + "-" + uuid.NewString() }

func jsonEvent(typ string, i int) esdb.EventData {
	return esdb.EventData{
		EventID:     uuid.New(),
		EventType:   typ,
		ContentType: esdb.ContentTypeJson,
		Data:        []byte(fmt.Sprintf(`{"i":%d}`, i)),
		Metadata:    []byte(`{"m":true}`),
	}
}

func appendN(t *testing.T, c *esdb.Client, stream string, n int) *esdb.WriteResult {
	t.Helper()
	evs := make([]esdb.EventData, n)
	for i := range evs {
		evs[i] = jsonEvent("Tested", i)
	}
	res, err := c.AppendToStream(ctxT(t), stream, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}}, evs...)
	if err != nil {
		t.Fatalf("append %d to %s: %v", n, stream, err)
	}
	return res
}

// drain reads a ReadStream to its end.
func drain(rs *esdb.ReadStream, err error) ([]*esdb.ResolvedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []*esdb.ResolvedEvent
	for {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

func readStream(t *testing.T, c *esdb.Client, stream string, opts esdb.ReadStreamOptions, count uint64) ([]*esdb.ResolvedEvent, error) {
	t.Helper()
	return drain(c.ReadStream(ctxT(t), stream, opts, count))
}

func mustReadStream(t *testing.T, c *esdb.Client, stream string, opts esdb.ReadStreamOptions, count uint64) []*esdb.ResolvedEvent {
	t.Helper()
	evs, err := readStream(t, c, stream, opts, count)
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return evs
}

func mustReadAll(t *testing.T, c *esdb.Client, opts esdb.ReadAllOptions, count uint64) []*esdb.ResolvedEvent {
	t.Helper()
	evs, err := drain(c.ReadAll(ctxT(t), opts, count))
	if err != nil {
		t.Fatalf("read $all: %v", err)
	}
	return evs
}

func revisions(evs []*esdb.ResolvedEvent) []uint64 {
	out := make([]uint64, len(evs))
	for i, ev := range evs {
		out[i] = ev.OriginalEvent().EventNumber
	}
	return out
}

func esdbCode(t *testing.T, err error) esdb.ErrorCode {
	t.Helper()
	var e *esdb.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *esdb.Error", err, err)
	}
	return e.Code()
}

// rawStreams is a bare gRPC Streams client, for checking wire fields the
// official client does not expose.
func rawStreams(t *testing.T, addr string) streams.StreamsClient {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return streams.NewStreamsClient(conn)
}

func start(t *testing.T) *esdbnodetest.Node {
	t.Helper()
	return esdbnodetest.Start(t)
}

func grpcTrailer(md *metadata.MD) grpc.CallOption { return grpc.Trailer(md) }

func asErr(err error, target **esdb.Error) bool { return errors.As(err, target) }
