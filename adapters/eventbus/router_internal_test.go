package eventbus

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

type collect struct {
	mu    sync.Mutex
	calls int
	got   []eventlog.RecordedEvent
}

func (c *collect) Name() string { return "Collect" }
func (c *collect) Handle(_ context.Context, e eventlog.RecordedEvent) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.got = append(c.got, e)
	return nil
}

// TestRouterDecodesOverTheWireAndPoisonsUndecodableAtOnce runs the router
// over a GoChannel that does not keep contexts, as a remote transport would.
func TestRouterDecodesOverTheWireAndPoisonsUndecodableAtOnce(t *testing.T) {
	ps := gochannel.NewGoChannel(gochannel.Config{BlockPublishUntilSubscriberAck: true}, nil)
	defer ps.Close()
	h := &collect{}
	r, err := NewRouter(RouterConfig{Subscriber: ps, Publisher: ps, Types: registry{1}, Handlers: []readside.Handler{h},
		RetryInterval: time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	poison, err := ps.Subscribe(ctx, PoisonTopic)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = r.Run(ctx) }()
	<-r.Running()

	bad := sample(t)
	bad.Type = "TestUnknown"
	good := sample(t)
	for _, e := range []eventlog.RecordedEvent{bad, good} {
		msg, err := encode(e, registry{1})
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = ps.Publish(DefaultTopic, msg) }()
		if e.ID == bad.ID {
			select {
			case p := <-poison:
				if p.UUID != bad.ID.String() {
					t.Errorf("poisoned %s, want the undecodable event", p.UUID)
				}
				p.Ack()
			case <-time.After(20 * time.Second):
				t.Fatal("the undecodable event did not reach the poison queue")
			}
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.mu.Lock()
		n := len(h.got)
		h.mu.Unlock()
		if n == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.got) != 1 || h.got[0].ID != good.ID || h.got[0].Event.(noted).N != 3 {
		t.Fatalf("handler got %+v, want only the decodable event", h.got)
	}
	if h.calls != 1 {
		t.Errorf("handler called %d times, want 1 (no retries for undecodable messages)", h.calls)
	}
}
