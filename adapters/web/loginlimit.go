package web

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginLimiter slows password guessing on the sign-in form: a token bucket
// per client address (burst 10, then one attempt every 6 s, as the API's
// login), in bounded memory. Each attempt costs an argon2id hash, so without
// it the form would also be a way to exhaust the server.
type loginLimiter struct {
	mu      sync.Mutex
	buckets map[netip.Addr]*rate.Limiter
	every   time.Duration
	burst   int
	max     int
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{buckets: map[netip.Addr]*rate.Limiter{}, every: 6 * time.Second, burst: 10, max: 100_000}
}

// allow reports whether the client may try now; if not, how long to wait.
func (l *loginLimiter) allow(r *http.Request, now time.Time) (bool, time.Duration) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return true, 0
	}
	addr = addr.Unmap()
	if addr.Is6() { // one household or device usually owns a /64
		p, _ := addr.Prefix(64)
		addr = p.Addr()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) >= l.max { // bounded: forget everyone rather than grow
			clear(l.buckets)
		}
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.buckets[addr] = b
	}
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// retryAfter formats a wait as whole seconds for the Retry-After header.
func retryAfter(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s)
}
