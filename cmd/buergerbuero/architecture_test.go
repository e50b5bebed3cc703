package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/buergerbuero/buergerbuero"

// layerRule says what the packages below one directory may import.
type layerRule struct {
	dir     string
	allowed func(imp string) bool
	why     string
}

func isStdlib(imp string) bool { return !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") }

func within(imp, dir string) bool {
	p := module + "/" + dir
	return imp == p || strings.HasPrefix(imp, p+"/")
}

var layerRules = []layerRule{
	{
		dir: "domain",
		allowed: func(imp string) bool {
			return isStdlib(imp) || imp == "github.com/google/uuid" || within(imp, "domain")
		},
		why: "domain may import only the standard library, uuid and itself",
	},
	{
		dir: "application",
		allowed: func(imp string) bool {
			if within(imp, "adapters") || within(imp, "cmd") {
				return false
			}
			for _, infra := range []string{
				"github.com/EventStore/", "github.com/pion/", "github.com/danielgtaylor/huma",
				"google.golang.org/grpc", "net/http",
			} {
				if strings.HasPrefix(imp, infra) {
					return false
				}
			}
			return true
		},
		why: "application may not import adapters, cmd or infrastructure (event store client, Pion, Huma, gRPC, net/http)",
	},
	{
		dir:     "adapters",
		allowed: func(imp string) bool { return !within(imp, "cmd") },
		why:     "adapters may not import cmd",
	},
}

// TestLayering fails when a package imports across the layers the
// architecture forbids (see docs/architecture.md). Test files count too,
// except black-box tests of adapters, which may start real servers.
func TestLayering(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, rule := range layerRules {
		dir := filepath.Join(root, rule.dir)
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d == nil { // the layer does not exist yet
					return fs.SkipDir
				}
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
				return fs.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				t.Errorf("parse %s: %v", path, err)
				return nil
			}
			checked++
			for _, spec := range f.Imports {
				imp, _ := strconv.Unquote(spec.Path.Value)
				if !rule.allowed(imp) {
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s imports %s: %s", rel, imp, rule.why)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", dir, err)
		}
	}
	if checked == 0 {
		t.Fatal("no Go files checked: the test looks in the wrong place")
	}
}

// TestLayerRules checks the rules themselves, so a broken predicate cannot
// silently allow everything.
func TestLayerRules(t *testing.T) {
	cases := []struct {
		dir, imp string
		ok       bool
	}{
		{"domain", "time", true},
		{"domain", "github.com/google/uuid", true},
		{"domain", module + "/domain/visit", true},
		{"domain", module + "/application", false},
		{"domain", module + "/adapters/eventstore", false},
		{"domain", "github.com/ThreeDotsLabs/watermill", false},
		{"application", module + "/domain/visit", true},
		{"application", module + "/adapters/eventstore", false},
		{"application", "github.com/EventStore/EventStore-Client-Go/v4/esdb", false},
		{"application", "net/http", false},
		{"adapters", module + "/cmd/buergerbuero", false},
		{"adapters", module + "/application", true},
	}
	for _, c := range cases {
		var rule *layerRule
		for i := range layerRules {
			if layerRules[i].dir == c.dir {
				rule = &layerRules[i]
			}
		}
		if got := rule.allowed(c.imp); got != c.ok {
			t.Errorf("%s importing %s: allowed=%v, want %v", c.dir, c.imp, got, c.ok)
		}
	}
}
