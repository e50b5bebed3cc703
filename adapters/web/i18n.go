package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
)

//go:embed i18n/*.json
var catalogueFS embed.FS

// Languages the UI speaks; the first is the default.
var Languages = []string{"de", "en"}

const langCookie = "bb_lang"

// catalogue maps message keys to texts of one language.
type catalogue map[string]string

// Catalogues loads every language's message catalogue.
func loadCatalogues() (map[string]catalogue, error) {
	out := make(map[string]catalogue, len(Languages))
	for _, lang := range Languages {
		b, err := catalogueFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		var c catalogue
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		out[lang] = c
	}
	return out, nil
}

// CatalogueKeys returns the sorted keys of one language's catalogue (for tests).
func CatalogueKeys(lang string) ([]string, error) {
	cs, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	c, ok := cs[lang]
	if !ok {
		return nil, fmt.Errorf("web: no catalogue %q", lang)
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

func (c catalogue) text(key string, args ...any) (string, error) {
	s, ok := c[key]
	if !ok {
		return "", fmt.Errorf("web: missing message %q", key)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...), nil
	}
	return s, nil
}

func validLang(s string) bool {
	for _, l := range Languages {
		if s == l {
			return true
		}
	}
	return false
}

// requestLang picks the language: ?lang= (remembered in a cookie), then the
// cookie, then German.
func (h *Handler) requestLang(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("lang"); validLang(q) {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
		})
		return q
	}
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	return Languages[0]
}
