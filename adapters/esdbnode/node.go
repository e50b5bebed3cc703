package esdbnode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"google.golang.org/grpc"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Config is what a standalone or in-process node needs.
type Config struct {
	// Listen is the host:port to serve on; port 0 picks a free one.
	Listen string
	// DataDir holds the engine's files; it is created if missing.
	DataDir string
	// Engine tunes the storage engine (zero value: its defaults).
	Engine engine.Options
	// Server tunes the gRPC front (zero value: EventStoreDB's defaults).
	Server Options
	// StopTimeout bounds the graceful part of Close. Default 5 s.
	StopTimeout time.Duration
}

// Validate reports every problem in c.
func (c Config) Validate() error {
	var errs []error
	if c.Listen == "" {
		errs = append(errs, errors.New("esdbnode: Listen is empty"))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("esdbnode: DataDir is empty"))
	}
	if c.StopTimeout < 0 {
		errs = append(errs, errors.New("esdbnode: StopTimeout is negative"))
	}
	if err := c.Server.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Node is a running embedded node: engine, listener and gRPC server.
type Node struct {
	eng     *engine.Engine
	srv     *Server
	addr    string
	timeout time.Duration

	done     chan struct{} // closed when Serve has returned
	serveErr error         // Serve's result, readable once done is closed

	closeOnce sync.Once
	closeErr  error
}

// Start opens the engine in cfg.DataDir and serves on cfg.Listen. The
// listener accepts before Start returns, so a client built right after
// connects. ctx bounds the start only; call Close to stop.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	eng, err := engine.Open(cfg.DataDir, cfg.Engine)
	if err != nil {
		return nil, fmt.Errorf("esdbnode: open engine in %s: %w", cfg.DataDir, err)
	}
	var lc net.ListenConfig
	lis, err := lc.Listen(ctx, "tcp", cfg.Listen)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("esdbnode: listen on %s: %w", cfg.Listen, err), eng.Close())
	}
	srv, err := New(eng, cfg.Server)
	if err != nil {
		return nil, errors.Join(err, lis.Close(), eng.Close())
	}
	n := &Node{eng: eng, srv: srv, addr: lis.Addr().String(), timeout: cfg.StopTimeout, done: make(chan struct{})}
	if n.timeout == 0 {
		n.timeout = 5 * time.Second
	}
	go func() {
		n.serveErr = srv.Serve(lis)
		close(n.done)
	}()
	return n, nil
}

// Done is closed when the node stops serving: after Close, or when its
// listener fails. Close reports why.
func (n *Node) Done() <-chan struct{} { return n.done }

// WriteHealth is nil while the node's writes work, else why the last write
// failed (disk full, I/O error); it turns nil with the next write that
// succeeds. For readiness checks.
func (n *Node) WriteHealth() error { return n.eng.Healthy() }

// Addr is the host:port the node listens on.
func (n *Node) Addr() string { return n.addr }

// ConnectionString is the official client's URL for this node.
func (n *Node) ConnectionString() string { return "esdb://" + n.addr + "?tls=false" }

// Close ends subscriptions, lets running calls finish (at most
// StopTimeout), stops the server and closes the engine. Further calls
// return the first call's result.
func (n *Node) Close() error {
	n.closeOnce.Do(func() { n.closeErr = n.close() })
	return n.closeErr
}

func (n *Node) close() error {
	stopped := make(chan struct{})
	go func() {
		n.srv.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(n.timeout):
		n.srv.Stop()
		<-stopped
	}
	<-n.done
	serveErr := n.serveErr
	if errors.Is(serveErr, grpc.ErrServerStopped) {
		serveErr = nil
	}
	return errors.Join(serveErr, n.eng.Close())
}
