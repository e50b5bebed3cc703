package esdbnode

import (
	"context"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
)

// gossipService reports a cluster of one: this node, alive, leader, reachable
// at its own gRPC address (EventStoreDB serves gRPC on its HTTP endpoint).
type gossipService struct {
	gossip.UnimplementedGossipServer
	srv *Server
}

func (g *gossipService) Read(context.Context, *shared.Empty) (*gossip.ClusterInfo, error) {
	ep := g.srv.endpoint()
	return &gossip.ClusterInfo{Members: []*gossip.MemberInfo{{
		InstanceId:   protoUUID(g.srv.instanceID, true),
		TimeStamp:    toTicks(time.Now()),
		State:        gossip.MemberInfo_Leader,
		IsAlive:      true,
		HttpEndPoint: &gossip.EndPoint{Address: ep.host, Port: ep.port},
	}}}, nil
}
