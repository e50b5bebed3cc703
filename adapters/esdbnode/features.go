package esdbnode

import (
	"context"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
)

// featuresService lists exactly the methods this node implements, in
// EventStoreDB's lower-case spelling, so clients never try the rest.
type featuresService struct {
	serverfeatures.UnimplementedServerFeaturesServer
	srv *Server
}

func (f *featuresService) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	const streamsSvc = "event_store.client.streams.streams"
	return &serverfeatures.SupportedMethods{
		EventStoreServerVersion: f.srv.opts.ServerVersion,
		Methods: []*serverfeatures.SupportedMethod{
			{ServiceName: streamsSvc, MethodName: "read", Features: []string{"all", "stream", "filter"}},
			{ServiceName: streamsSvc, MethodName: "append"},
			{ServiceName: streamsSvc, MethodName: "delete"},
			{ServiceName: streamsSvc, MethodName: "tombstone"},
			{ServiceName: "event_store.client.server_features.serverfeatures", MethodName: "getsupportedmethods"},
			{ServiceName: "event_store.client.gossip.gossip", MethodName: "read"},
		},
	}, nil
}
