package media_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/media"
)

func TestConfigValidate(t *testing.T) {
	turn := func(f func(*media.TURNConfig)) *media.TURNConfig {
		c := &media.TURNConfig{ListenAddr: netip.MustParseAddrPort("127.0.0.1:0"), RelayIP: loopback, Secret: "0123456789abcdef"}
		f(c)
		return c
	}
	cases := []struct {
		name  string
		cfg   media.Config
		wants []string // substrings of the joined error; none means valid
	}{
		{"defaults", media.Config{}, nil},
		{"test config", testConfig(), nil},
		{"single port", media.Config{UDPPort: 50000}, nil},
		{"port range", media.Config{UDPPortMin: 50000, UDPPortMax: 50100}, nil},
		{"public IP", media.Config{PublicIP: netip.MustParseAddr("198.51.100.10")}, nil},
		{"turn", media.Config{TURN: turn(func(*media.TURNConfig) {})}, nil},
		{"port range half set", media.Config{UDPPortMin: 50000}, []string{"set together"}},
		{"port range inverted", media.Config{UDPPortMin: 50100, UDPPortMax: 50000}, []string{"above UDPPortMax"}},
		{"port and range", media.Config{UDPPort: 5000, UDPPortMin: 50000, UDPPortMax: 50100}, []string{"exclude each other"}},
		{"loopback without include", media.Config{ListenIPs: []netip.Addr{loopback}}, []string{"IncludeLoopback"}},
		{"ipv6 listen", media.Config{ListenIPs: []netip.Addr{netip.MustParseAddr("2001:db8::1")}}, []string{"only IPv4"}},
		{"unspecified listen", media.Config{ListenIPs: []netip.Addr{netip.IPv4Unspecified()}}, []string{"unspecified"}},
		{"bad public IP", media.Config{PublicIP: netip.MustParseAddr("224.0.0.1")}, []string{"PublicIP"}},
		{"negative timeout", media.Config{ICEFailedTimeout: -time.Second}, []string{"ICEFailedTimeout"}},
		{"keepalive too long", media.Config{ICEKeepaliveInterval: time.Minute}, []string{"ICEKeepaliveInterval"}},
		{"tiny room", media.Config{MaxParticipantsPerRoom: 1}, []string{"MaxParticipantsPerRoom"}},
		{"negative limits", media.Config{MaxRooms: -1, MaxConnectionsPerClientAddr: -1, MaxChatMessageBytes: -1},
			[]string{"MaxRooms", "MaxConnectionsPerClientAddr", "MaxChatMessageBytes"}},
		{"turn short secret", media.Config{TURN: turn(func(c *media.TURNConfig) { c.Secret = "short" })}, []string{"Secret"}},
		{"turn no relay IP", media.Config{TURN: turn(func(c *media.TURNConfig) { c.RelayIP = netip.Addr{} })}, []string{"RelayIP", "PublicHost"}},
		{"turn long TTL", media.Config{TURN: turn(func(c *media.TURNConfig) { c.CredentialTTL = 72 * time.Hour })}, []string{"CredentialTTL"}},
		{"everything wrong at once", media.Config{UDPPortMin: 2, UDPPortMax: 1, MaxRooms: -5, TURN: turn(func(c *media.TURNConfig) { c.Secret = "" })},
			[]string{"above UDPPortMax", "MaxRooms", "Secret"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.cfg.WithDefaults().Validate()
			if len(c.wants) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.wants)
			}
			for _, w := range c.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if j, ok := err.(interface{ Unwrap() []error }); !ok || len(j.Unwrap()) < len(c.wants) {
				t.Errorf("want one joined error per problem, got %v", err)
			}
		})
	}
	if _, err := media.New(media.Config{MaxRooms: -1}, nil); err == nil || !strings.Contains(err.Error(), "MaxRooms") {
		t.Fatalf("New accepted an invalid config: %v", err)
	}
	if err := (media.Config{}).Validate(); err == nil || !strings.Contains(err.Error(), "Clock") {
		t.Fatal("a Config without defaults must not validate (no clock)")
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range []media.Role{media.RoleCitizen, media.RoleClerk, media.RoleInterpreter, media.RoleColleague} {
		got, err := media.ParseRole(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r, got, err)
		}
	}
	if r, err := media.ParseRole("mayor"); err == nil || !r.IsZero() {
		t.Errorf("ParseRole(mayor) = %v, %v; want error", r, err)
	}
}
