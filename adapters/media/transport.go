package media

import (
	"context"
	"fmt"

	"github.com/pion/webrtc/v4"
)

// transportHandler receives the Pion callbacks of one peer connection. The
// participant implements it; nothing else in the package registers Pion
// callbacks on a peer connection.
type transportHandler interface {
	onTrack(remote *webrtc.TrackRemote)
	onDataChannel(dc *webrtc.DataChannel)
	onConnectionState(state webrtc.PeerConnectionState)
}

// transportParams is everything needed to build one participant's transport.
type transportParams struct {
	engine     *engine
	iceServers []webrtc.ICEServer
	handler    transportHandler
}

// transport wraps the peer connection of one participant.
type transport struct {
	pc *webrtc.PeerConnection
}

func newTransport(p transportParams) (*transport, error) {
	pc, err := p.engine.api.NewPeerConnection(webrtc.Configuration{
		ICEServers:    p.iceServers,
		BundlePolicy:  webrtc.BundlePolicyMaxBundle,
		RTCPMuxPolicy: webrtc.RTCPMuxPolicyRequire,
	})
	if err != nil {
		return nil, fmt.Errorf("media: new peer connection: %w", err)
	}
	h := p.handler
	pc.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) { h.onTrack(t) })
	pc.OnDataChannel(h.onDataChannel)
	pc.OnConnectionStateChange(h.onConnectionState)
	return &transport{pc: pc}, nil
}

// answer applies a remote offer and returns the local answer once ICE
// gathering is complete (no trickle).
func (t *transport) answer(ctx context.Context, offerSDP string) (string, error) {
	if err := t.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offerSDP}); err != nil {
		return "", detail(ErrInvalidSDP, err)
	}
	ans, err := t.pc.CreateAnswer(nil)
	if err != nil {
		return "", detail(ErrInvalidSDP, err)
	}
	return t.setLocalAndGather(ctx, ans)
}

// offer creates a relay offer, complete with candidates.
func (t *transport) offer(ctx context.Context) (string, error) {
	off, err := t.pc.CreateOffer(nil)
	if err != nil {
		return "", fmt.Errorf("media: create offer: %w", err)
	}
	return t.setLocalAndGather(ctx, off)
}

func (t *transport) setLocalAndGather(ctx context.Context, desc webrtc.SessionDescription) (string, error) {
	gathered := webrtc.GatheringCompletePromise(t.pc)
	if err := t.pc.SetLocalDescription(desc); err != nil {
		return "", fmt.Errorf("media: set local description: %w", err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", fmt.Errorf("media: ICE gathering: %w", ctx.Err())
	}
	return t.pc.LocalDescription().SDP, nil
}

// applyAnswer applies the client's answer to a relay offer.
func (t *transport) applyAnswer(sdp string) error {
	if err := t.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		return detail(ErrInvalidSDP, err)
	}
	return nil
}

func (t *transport) close() { _ = t.pc.Close() }
