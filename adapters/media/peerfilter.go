package media

import "net/netip"

// specialPurpose lists IANA special-purpose and otherwise non-global ranges
// a TURN relay must not reach, beyond what netip's predicates cover
// (loopback, private, link-local, multicast, unspecified). IPv6 ranges that
// embed an IPv4 address (NAT64, 6to4, Teredo) are refused as a whole, since
// they could tunnel to an internal IPv4 host.
var specialPurpose = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast (deprecated)
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and 255.255.255.255
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64 well-known prefix
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments (incl. Teredo)
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4
	netip.MustParsePrefix("3fff::/20"),       // documentation
	netip.MustParsePrefix("5f00::/16"),       // SRv6 SIDs
}

// PeerAllowed reports whether the TURN relay may send to peer: only global
// unicast addresses outside every special-purpose range, unless peer lies in
// one of the explicit exceptions.
func PeerAllowed(peer netip.Addr, exceptions []netip.Prefix) bool {
	if !peer.IsValid() {
		return false
	}
	peer = peer.Unmap().WithZone("")
	for _, p := range exceptions {
		if p.Contains(peer) {
			return true
		}
	}
	if peer.IsLoopback() || peer.IsPrivate() || peer.IsLinkLocalUnicast() || peer.IsLinkLocalMulticast() ||
		peer.IsInterfaceLocalMulticast() || peer.IsMulticast() || peer.IsUnspecified() || !peer.IsGlobalUnicast() {
		return false
	}
	for _, p := range specialPurpose {
		if p.Contains(peer) {
			return false
		}
	}
	return true
}
