package main

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

// mediaFlags are the operator's settings of the call relay.
type mediaFlags struct {
	listenIPs       string // comma-separated
	includeLoopback bool
	publicIP        string
	udpPort         uint
	udpPortRange    string // "min-max"
	turnListen      string // host:port; empty disables TURN
	turnPublicHost  string
	turnSecret      string
}

func (m *mediaFlags) register(fs *flagSet) {
	fs.StringVar(&m.listenIPs, "media-listen-ips", "", "comma-separated IPs the call relay offers ICE candidates on (default: every non-loopback interface)")
	fs.BoolVar(&m.includeLoopback, "media-include-loopback", false, "also offer loopback candidates (single-machine demos, tests)")
	fs.StringVar(&m.publicIP, "media-public-ip", "", "public IP announced instead of host addresses (1:1 NAT)")
	fs.UintVar(&m.udpPort, "media-udp-port", 0, "one UDP port for every call (ICE UDP mux), for firewalls; 0 uses ephemeral ports")
	fs.StringVar(&m.udpPortRange, "media-udp-port-range", "", "UDP port range MIN-MAX for calls (instead of --media-udp-port)")
	fs.StringVar(&m.turnListen, "turn-listen", "", "host:port of the embedded TURN server (UDP); empty disables it")
	fs.StringVar(&m.turnPublicHost, "turn-public-host", "", "host name or IP clients use to reach TURN (default: --media-public-ip)")
	fs.StringVar(&m.turnSecret, "turn-secret", "", "shared secret (≥ 16 bytes) for short-lived TURN credentials; required with --turn-listen")
}

// config turns the flags into the relay's configuration, reporting every
// problem at once.
func (m *mediaFlags) config() (media.Config, error) {
	var cfg media.Config
	var errs []error
	for _, s := range strings.Split(m.listenIPs, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("--media-listen-ips: %q is not an IP address", s))
			continue
		}
		cfg.ListenIPs = append(cfg.ListenIPs, ip)
	}
	cfg.IncludeLoopback = m.includeLoopback
	if m.publicIP != "" {
		ip, err := netip.ParseAddr(m.publicIP)
		if err != nil {
			errs = append(errs, fmt.Errorf("--media-public-ip: %q is not an IP address", m.publicIP))
		}
		cfg.PublicIP = ip
	}
	if m.udpPort > 65535 {
		errs = append(errs, fmt.Errorf("--media-udp-port: %d is not a port", m.udpPort))
	}
	cfg.UDPPort = uint16(m.udpPort)
	if m.udpPortRange != "" {
		lo, hi, ok := strings.Cut(m.udpPortRange, "-")
		min, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 16)
		max, err2 := strconv.ParseUint(strings.TrimSpace(hi), 10, 16)
		if !ok || err1 != nil || err2 != nil {
			errs = append(errs, fmt.Errorf("--media-udp-port-range: want MIN-MAX, got %q", m.udpPortRange))
		}
		cfg.UDPPortMin, cfg.UDPPortMax = uint16(min), uint16(max)
	}
	if m.turnListen != "" {
		addr, err := netip.ParseAddrPort(m.turnListen)
		if err != nil {
			errs = append(errs, fmt.Errorf("--turn-listen: want IP:PORT, got %q", m.turnListen))
		}
		host := m.turnPublicHost
		if host == "" {
			host = m.publicIP
		}
		relayIP := cfg.PublicIP
		if !relayIP.IsValid() {
			relayIP = addr.Addr()
		}
		cfg.TURN = &media.TURNConfig{ListenAddr: addr, RelayIP: relayIP, PublicHost: host, Realm: "buergerbuero", Secret: m.turnSecret}
	}
	if err := errors.Join(errs...); err != nil {
		return media.Config{}, err
	}
	if err := cfg.WithDefaults().Validate(); err != nil {
		return media.Config{}, err
	}
	return cfg, nil
}
