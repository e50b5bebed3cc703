package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// contentSecurityPolicy allows scripts, styles and fonts from our origin only:
// no inline script or style, no eval. Media may be blob: (camera preview) and
// images data: (KERN's icons are data-URI SVGs).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self' blob:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		next(w, r)
	}
}

func setSecurityHeaders(hd http.Header) {
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()")
}

const (
	csrfCookie = "bb_csrf"
	csrfField  = "_csrf"
)

// csrfToken returns the request's CSRF token, issuing a new cookie when the
// browser has none (double-submit cookie; cross-origin POSTs are also refused
// by http.CrossOriginProtection in front of every handler).
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	// Make the new token visible to a later csrfToken call in this request.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	return tok
}

// checkCSRF reports whether a form post carries the token of its cookie.
func checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) < 32 {
		return false
	}
	got := r.PostFormValue(csrfField)
	return subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func clearCookie(w http.ResponseWriter, name string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure})
}

const (
	visitCookie = "bb_visit"
	caseCookie  = "bb_case"
)

// passCookie stores a capability (id and token) in an HttpOnly cookie.
func (h *Handler) setPass(w http.ResponseWriter, name, id, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: id + "~" + token, Path: "/", HttpOnly: true,
		Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 12 * 3600,
	})
}

func readPass(r *http.Request, name string) (id, token string, ok bool) {
	c, err := r.Cookie(name)
	if err != nil {
		return "", "", false
	}
	id, token, ok = strings.Cut(c.Value, "~")
	return id, token, ok && id != "" && token != ""
}
