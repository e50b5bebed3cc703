package web

import "testing"

// localPath never lets a sign-in's "next" or a redirect leave the site.
func TestLocalPathRefusesEveryWayOffSite(t *testing.T) {
	cases := map[string]string{
		"/staff/queue?office=1":       "/staff/queue?office=1",
		"/audit/cases/DO-2026-000001": "/audit/cases/DO-2026-000001",
		"//evil.example/x":            "/fallback",
		"/\t/evil.example/x":          "/fallback",
		"/\n/evil.example":            "/fallback",
		"/\\evil.example":             "/fallback",
		"/ /evil.example":             "/fallback",
		"https://evil.example/":       "/fallback",
		"evil.example":                "/fallback",
		"":                            "/fallback",
	}
	for in, want := range cases {
		if got := localPath(in, "/fallback"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
