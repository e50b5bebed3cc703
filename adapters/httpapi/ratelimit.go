package httpapi

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateClass names a group of operations that share one budget per client
// address.
type RateClass string

const (
	// RateLogin: password logins (guessing).
	RateLogin RateClass = "login"
	// RateKnock: knocks and bookings by anonymous citizens (queue flooding).
	RateKnock RateClass = "knock"
	// RateCode: look-ups by an appointment code or a case reference and
	// code (guessing).
	RateCode RateClass = "code"
)

// RateLimit is a token bucket: Burst requests at once, then one per Every.
type RateLimit struct {
	Every time.Duration
	Burst int
}

// DefaultRateLimits: a person mistyping a password or knocking again after
// a dropped connection is never slowed; a script is, to a few per minute.
// Addresses behind one NAT (a library, a city hall's guest Wi-Fi) share a
// budget, hence the bursts.
var DefaultRateLimits = map[RateClass]RateLimit{
	RateLogin: {Every: 6 * time.Second, Burst: 10},
	RateKnock: {Every: 3 * time.Second, Burst: 20},
	RateCode:  {Every: 6 * time.Second, Burst: 10},
}

// limiter holds one token bucket per class and client address, at most max
// addresses per class (the least recently used are dropped).
type limiter struct {
	limits map[RateClass]RateLimit
	now    func() time.Time
	max    int
	mu     sync.Mutex
	lim    map[RateClass]map[string]*bucket
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiter(limits map[RateClass]RateLimit, now func() time.Time, max int) *limiter {
	return &limiter{limits: limits, now: now, max: max, lim: map[RateClass]map[string]*bucket{}}
}

// allow takes a token for addr in class, or says how long to wait.
func (l *limiter) allow(class RateClass, addr string) (bool, time.Duration) {
	cfg, ok := l.limits[class]
	if !ok {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.lim[class]
	if m == nil {
		m = map[string]*bucket{}
		l.lim[class] = m
	}
	b, ok := m[addr]
	if !ok {
		if len(m) >= l.max {
			l.evictLocked(m, now, cfg)
		}
		b = &bucket{l: rate.NewLimiter(rate.Every(cfg.Every), cfg.Burst)}
		m[addr] = b
	}
	b.seen = now
	r := b.l.ReserveN(now, 1)
	if !r.OK() {
		return false, cfg.Every
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// evictLocked drops buckets that have refilled (forgetting them changes
// nothing), or else the least recently seen one.
func (l *limiter) evictLocked(m map[string]*bucket, now time.Time, cfg RateLimit) {
	full := cfg.Every * time.Duration(cfg.Burst)
	var oldest string
	var oldestSeen time.Time
	for k, b := range m {
		if now.Sub(b.seen) >= full {
			delete(m, k)
			continue
		}
		if oldest == "" || b.seen.Before(oldestSeen) {
			oldest, oldestSeen = k, b.seen
		}
	}
	if len(m) >= l.max && oldest != "" {
		delete(m, oldest)
	}
}

// retryAfter renders a wait as whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s)
}

// clientAddr returns the rate-limit key of a request: the client IP, or its
// /64 for IPv6 (one household or device usually holds a whole /64). Behind
// trusted proxies, the right-most X-Forwarded-For address that is not a
// trusted proxy is the client.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return "unknown"
	}
	addr = addr.Unmap()
	if isTrusted(addr, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			addr = a.Unmap()
			if !isTrusted(addr, trusted) {
				break
			}
		}
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
