package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// static holds our JS modules (static/js, sources served as they are) and the
// built styles (static/dist, produced by `npm run build` and committed).
//
//go:embed static/js static/dist
var staticFS embed.FS

// StaticFS is the embedded static tree (for tests).
func StaticFS() fs.FS { return staticFS }

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, "manifest.json") {
			http.NotFound(w, r) // no directory listings
			return
		}
		// Revalidate: assets are small and the binary may change under one URL.
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
