package esdbnode

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

const (
	// maxAppendSizeDefault is EventStoreDB's default MaxAppendSize (1 MiB).
	maxAppendSizeDefault = 1 << 20
	// maxRecvMsgSize covers the largest message the client may send; the
	// official client allows 17 MiB inbound, we accept the same.
	maxRecvMsgSize = 17 << 20
	// maxSendMsgSize bounds one response message (one event or one append result).
	maxSendMsgSize = 17 << 20
	// readPageSizeDefault is how many events a read or subscription fetches per engine call.
	readPageSizeDefault = 512
	// serverVersionDefault is the EventStoreDB version this node imitates.
	serverVersionDefault = "24.10.0"
)

// Options tune a Server. The zero value is valid.
type Options struct {
	// AdvertiseAddr is the host:port announced through gossip. Empty means
	// the listener's address (127.0.0.1 when it listens on all interfaces).
	AdvertiseAddr string
	// MaxAppendSize limits the summed size of one append's events
	// (data + custom metadata + 2×type length, as EventStoreDB counts). Default 1 MiB.
	MaxAppendSize int
	// ReadPageSize is the most events fetched from the engine per page
	// (fewer when events are large: a page holds about 4 MiB). Default 512.
	ReadPageSize int
	// ServerVersion is reported by ServerFeatures. Default "24.10.0".
	ServerVersion string
}

// Validate reports every problem in o.
func (o Options) Validate() error {
	var errs []error
	if o.MaxAppendSize < 0 {
		errs = append(errs, fmt.Errorf("esdbnode: MaxAppendSize %d is negative", o.MaxAppendSize))
	}
	if o.ReadPageSize < 0 {
		errs = append(errs, fmt.Errorf("esdbnode: ReadPageSize %d is negative", o.ReadPageSize))
	}
	if o.AdvertiseAddr != "" {
		if _, _, err := splitHostPort(o.AdvertiseAddr); err != nil {
			errs = append(errs, fmt.Errorf("esdbnode: AdvertiseAddr: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (o Options) withDefaults() Options {
	if o.MaxAppendSize == 0 {
		o.MaxAppendSize = maxAppendSizeDefault
	}
	if o.ReadPageSize == 0 {
		o.ReadPageSize = readPageSizeDefault
	}
	if o.ServerVersion == "" {
		o.ServerVersion = serverVersionDefault
	}
	return o
}

// Server serves EventStoreDB's gRPC client protocol over a Store.
type Server struct {
	store      Store
	opts       Options
	grpc       *grpc.Server
	instanceID uuid.UUID
	started    time.Time

	mu        sync.Mutex
	advertise endpoint

	stopOnce sync.Once
	stopping chan struct{} // closed when Stop or GracefulStop begins; ends subscriptions
}

type endpoint struct {
	host string
	port uint32
}

// New builds a server over store; it refuses a nil store and invalid options.
func New(store Store, opts Options) (*Server, error) {
	if store == nil {
		return nil, errors.New("esdbnode: nil store")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	s := &Server{
		store:      store,
		opts:       opts.withDefaults(),
		instanceID: uuid.New(),
		started:    time.Now(),
		stopping:   make(chan struct{}),
	}
	if s.opts.AdvertiseAddr != "" {
		host, port, _ := splitHostPort(s.opts.AdvertiseAddr)
		s.advertise = endpoint{host: host, port: port}
	}
	s.grpc = grpc.NewServer(
		grpc.MaxRecvMsgSize(maxRecvMsgSize),
		grpc.MaxSendMsgSize(maxSendMsgSize),
		// The client pings every 10 s, also when idle: permit it.
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: time.Second, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: 10 * time.Second, Timeout: 10 * time.Second}),
		// Reuse goroutines for incoming calls instead of one new goroutine
		// (and stack growth) per call: appends are short and many.
		grpc.NumStreamWorkers(uint32(runtime.GOMAXPROCS(0))),
		grpc.SharedWriteBuffer(true),
		// Events are encoded straight from the engine's records (wire.go).
		grpc.ForceServerCodecV2(newNodeCodec()),
		grpc.ChainUnaryInterceptor(unaryTrailers),
		grpc.ChainStreamInterceptor(streamTrailers),
	)
	streams.RegisterStreamsServer(s.grpc, &streamsService{srv: s})
	serverfeatures.RegisterServerFeaturesServer(s.grpc, &featuresService{srv: s})
	gossip.RegisterGossipServer(s.grpc, &gossipService{srv: s})
	return s, nil
}

// Serve accepts connections on lis until Stop or GracefulStop. The first
// listener served also fixes the gossip endpoint unless AdvertiseAddr is set.
func (s *Server) Serve(lis net.Listener) error {
	s.mu.Lock()
	if s.advertise.host == "" {
		host, port, err := splitHostPort(lis.Addr().String())
		if err == nil {
			if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
				host = "127.0.0.1"
			}
			s.advertise = endpoint{host: host, port: port}
		}
	}
	s.mu.Unlock()
	return s.grpc.Serve(lis)
}

// Stop closes all connections and ends every call at once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() { close(s.stopping) })
	s.grpc.Stop()
}

// GracefulStop ends subscriptions, lets running unary calls finish and then stops.
func (s *Server) GracefulStop() {
	s.stopOnce.Do(func() { close(s.stopping) })
	s.grpc.GracefulStop()
}

func (s *Server) endpoint() endpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.advertise
}

func splitHostPort(addr string) (string, uint32, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("port %q: %w", p, err)
	}
	return host, uint32(port), nil
}
