package media

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/logging"
	"github.com/pion/webrtc/v4"
)

// The codecs the relay accepts and forwards. Payload types follow the
// browsers' usual numbering; forwarding rewrites them per subscriber.
var videoFeedback = []webrtc.RTCPFeedback{
	{Type: webrtc.TypeRTCPFBNACK},
	{Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"},
	{Type: webrtc.TypeRTCPFBCCM, Parameter: "fir"},
}

var relayCodecs = []struct {
	kind  webrtc.RTPCodecType
	codec webrtc.RTPCodecParameters
}{
	{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"},
		PayloadType:        111,
	}},
	{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: videoFeedback},
		PayloadType:        96,
	}},
	{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000, SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", RTCPFeedback: videoFeedback},
		PayloadType:        102,
	}},
}

const sctpRTOMax = 2 * time.Second

// silentLogs discards Pion's log lines: they carry client IP addresses and
// TURN usernames, which are personal data. The relay reports through the
// Observer and Stats instead.
var silentLogs = &logging.DefaultLoggerFactory{
	Writer:          io.Discard,
	DefaultLogLevel: logging.LogLevelDisabled,
	ScopeLevels:     map[string]logging.LogLevel{},
}

// engine is the one place where Pion's media engine, interceptors and
// network settings are put together. It owns the shared UDP mux, if any.
type engine struct {
	api *webrtc.API
	mux ice.UDPMux
}

func newEngine(cfg Config) (*engine, error) {
	m := &webrtc.MediaEngine{}
	for _, c := range relayCodecs {
		if err := m.RegisterCodec(c.codec, c.kind); err != nil {
			return nil, fmt.Errorf("media: register codec %s: %w", c.codec.MimeType, err)
		}
	}
	reg, err := relayInterceptors(m)
	if err != nil {
		return nil, err
	}

	s := webrtc.SettingEngine{LoggerFactory: silentLogs}
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetICETimeouts(cfg.ICEDisconnectedTimeout, cfg.ICEFailedTimeout, cfg.ICEKeepaliveInterval)
	s.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	// The signalling and chat channels share the media path; after a loss
	// burst SCTP must retry within seconds, not back off to a minute.
	s.SetSCTPRTOMax(sctpRTOMax)
	if len(cfg.ListenIPs) > 0 {
		allowed := slices.Clone(cfg.ListenIPs)
		s.SetIPFilter(func(ip net.IP) bool {
			a, ok := netip.AddrFromSlice(ip)
			return ok && slices.Contains(allowed, a.Unmap())
		})
	}
	if cfg.PublicIP.IsValid() {
		err := s.SetICEAddressRewriteRules(webrtc.ICEAddressRewriteRule{
			External:        []string{cfg.PublicIP.String()},
			AsCandidateType: webrtc.ICECandidateTypeHost,
			Mode:            webrtc.ICEAddressRewriteReplace,
		})
		if err != nil {
			return nil, fmt.Errorf("media: public IP: %w", err)
		}
	}
	e := &engine{}
	switch {
	case cfg.UDPPort != 0:
		mux, err := newUDPMux(cfg)
		if err != nil {
			return nil, err
		}
		s.SetICEUDPMux(mux)
		e.mux = mux
	case cfg.UDPPortMin != 0:
		if err := s.SetEphemeralUDPPortRange(cfg.UDPPortMin, cfg.UDPPortMax); err != nil {
			return nil, fmt.Errorf("media: port range: %w", err)
		}
	}
	e.api = webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(s))
	return e, nil
}

// newUDPMux listens on the single ICE port, on each listen IP or on all
// interfaces.
func newUDPMux(cfg Config) (ice.UDPMux, error) {
	if len(cfg.ListenIPs) == 0 {
		var opts []ice.UDPMuxFromPortOption
		if cfg.IncludeLoopback {
			opts = append(opts, ice.UDPMuxFromPortWithLoopback())
		}
		opts = append(opts, ice.UDPMuxFromPortWithNetworks(ice.NetworkTypeUDP4))
		mux, err := ice.NewMultiUDPMuxFromPort(int(cfg.UDPPort), opts...)
		if err != nil {
			return nil, fmt.Errorf("media: UDP mux on port %d: %w", cfg.UDPPort, err)
		}
		return mux, nil
	}
	muxes := make([]ice.UDPMux, 0, len(cfg.ListenIPs))
	for _, ip := range cfg.ListenIPs {
		conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, cfg.UDPPort)))
		if err != nil {
			for _, m := range muxes {
				_ = m.Close()
			}
			return nil, fmt.Errorf("media: UDP mux on %s:%d: %w", ip, cfg.UDPPort, err)
		}
		muxes = append(muxes, ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: conn}))
	}
	return ice.NewMultiUDPMuxDefault(muxes...), nil
}

// relayInterceptors registers what a forwarding relay needs from Pion's
// default set: the NACK generator (towards publishers) and responder
// (towards subscribers), and RTCP sender and receiver reports. The stats and
// transport-wide congestion control interceptors of the default set are
// left out: the relay neither reads the statistics nor estimates bandwidth,
// and each costs work on every packet.
func relayInterceptors(m *webrtc.MediaEngine) (*interceptor.Registry, error) {
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureNack(m, reg); err != nil {
		return nil, fmt.Errorf("media: NACK interceptors: %w", err)
	}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, fmt.Errorf("media: RTCP report interceptors: %w", err)
	}
	return reg, nil
}

func (e *engine) close() error {
	if e.mux != nil {
		return e.mux.Close()
	}
	return nil
}
