package main

import (
	"strings"
	"testing"
)

func TestMediaFlags(t *testing.T) {
	cases := []struct {
		name    string
		flags   mediaFlags
		wantErr string
	}{
		{name: "defaults run on a laptop"},
		{name: "single port behind a firewall", flags: mediaFlags{udpPort: 3478 + 1, publicIP: "203.0.113.7"}},
		{name: "port range", flags: mediaFlags{udpPortRange: "40000-40100"}},
		{name: "bad listen IP", flags: mediaFlags{listenIPs: "10.0.0.1, nope"}, wantErr: `"nope" is not an IP`},
		{name: "bad public IP", flags: mediaFlags{publicIP: "rathaus"}, wantErr: "--media-public-ip"},
		{name: "bad range", flags: mediaFlags{udpPortRange: "40000"}, wantErr: "MIN-MAX"},
		{name: "port out of range", flags: mediaFlags{udpPort: 70000}, wantErr: "not a port"},
		{name: "TURN without a secret", flags: mediaFlags{turnListen: "127.0.0.1:3478"}, wantErr: "ecret"},
		{name: "TURN", flags: mediaFlags{turnListen: "127.0.0.1:3478", turnSecret: "a-secret-of-enough-length"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := c.flags.config()
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("config() error %v", err)
				}
				if c.flags.turnListen != "" && cfg.TURN == nil {
					t.Error("TURN requested but not configured")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("config() error %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}
