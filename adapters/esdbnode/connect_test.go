package esdbnode_test

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode"
	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/esdbnodetest"
)

func TestConnectionStrings(t *testing.T) {
	n := start(t)
	for _, url := range []string{
		"esdb://" + n.Addr() + "?tls=false",
		"esdb+discover://" + n.Addr() + "?tls=false",
	} {
		t.Run(strings.SplitN(url, ":", 2)[0], func(t *testing.T) {
			c, err := esdbnodetest.Connect(url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			s := streamName("connect")
			res, err := c.AppendToStream(ctxT(t), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, jsonEvent("Connected", 0))
			if err != nil {
				t.Fatalf("append through %s: %v", url, err)
			}
			if res.NextExpectedVersion != 0 || res.CommitPosition == 0 {
				t.Fatalf("write result %+v, want revision 0 and a position", res)
			}
			evs := mustReadStream(t, c, s, esdb.ReadStreamOptions{From: esdb.Start{}}, 10)
			if len(evs) != 1 {
				t.Fatalf("read %d events, want 1", len(evs))
			}
		})
	}
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestGossipReportsOneAliveLeaderAtOwnAddress(t *testing.T) {
	n := start(t)
	info, err := gossip.NewGossipClient(dial(t, n.Addr())).Read(ctxT(t), &shared.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Members) != 1 {
		t.Fatalf("%d members, want 1", len(info.Members))
	}
	m := info.Members[0]
	host, port, _ := net.SplitHostPort(n.Addr())
	if m.State != gossip.MemberInfo_Leader || !m.IsAlive {
		t.Fatalf("member state %v alive %v, want alive leader", m.State, m.IsAlive)
	}
	if m.HttpEndPoint.GetAddress() != host || strconv.Itoa(int(m.HttpEndPoint.GetPort())) != port {
		t.Fatalf("endpoint %v, want %s", m.HttpEndPoint, n.Addr())
	}
}

func TestGossipAdvertisesConfiguredAddress(t *testing.T) {
	n := esdbnodetest.StartWith(t, esdbnode.Config{Server: esdbnode.Options{AdvertiseAddr: "node-1.internal:2113"}})
	info, err := gossip.NewGossipClient(dial(t, n.Addr())).Read(ctxT(t), &shared.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if ep := info.Members[0].HttpEndPoint; ep.GetAddress() != "node-1.internal" || ep.GetPort() != 2113 {
		t.Fatalf("endpoint %v, want node-1.internal:2113", ep)
	}
}

func TestServerFeatures(t *testing.T) {
	n := start(t)
	sm, err := serverfeatures.NewServerFeaturesClient(dial(t, n.Addr())).GetSupportedMethods(ctxT(t), &shared.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(sm.EventStoreServerVersion, ".")
	if len(parts) != 3 {
		t.Fatalf("version %q is not X.Y.Z", sm.EventStoreServerVersion)
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			t.Fatalf("version %q: %v", sm.EventStoreServerVersion, err)
		}
	}
	got := map[string]bool{}
	for _, m := range sm.Methods {
		got[m.ServiceName+"/"+m.MethodName] = true
	}
	for _, want := range []string{"read", "append", "delete", "tombstone"} {
		if !got["event_store.client.streams.streams/"+want] {
			t.Errorf("method %s not listed in %v", want, got)
		}
	}
	if got["event_store.client.streams.streams/batchappend"] {
		t.Error("batchappend listed but not implemented")
	}
}

func TestUnimplementedServices(t *testing.T) {
	n := start(t)
	t.Run("batch append", func(t *testing.T) {
		bs, err := rawStreams(t, n.Addr()).BatchAppend(ctxT(t))
		if err == nil {
			_, err = bs.Recv()
		}
		if status.Code(err) != codes.Unimplemented {
			t.Fatalf("BatchAppend: %v, want Unimplemented", err)
		}
	})
	t.Run("persistent subscriptions", func(t *testing.T) {
		err := n.Client.CreatePersistentSubscription(ctxT(t), "s", "g", esdb.PersistentStreamSubscriptionOptions{})
		if err == nil || esdbCode(t, err) != esdb.ErrorCodeUnsupportedFeature {
			t.Fatalf("CreatePersistentSubscription: %v, want unsupported feature", err)
		}
	})
}
