package esdbnode

import (
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// streamsService implements event_store.client.streams.Streams. BatchAppend
// is left to the embedded Unimplemented server (codes.Unimplemented), and
// ServerFeatures does not list it, so clients use Append.
type streamsService struct {
	streams.UnimplementedStreamsServer
	srv *Server
}
