package domain_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
	"github.com/buergerbuero/buergerbuero/domain/office"
	"github.com/buergerbuero/buergerbuero/domain/visit"
)

// allEvents is what the event-store adapter registers.
func allEvents() []domain.Event {
	var all []domain.Event
	for _, list := range [][]domain.Event{office.EventTypes(), visit.EventTypes(), appointment.EventTypes(), casefile.EventTypes()} {
		all = append(all, list...)
	}
	return all
}

func TestEventConventions(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range allEvents() {
		name := e.EventType()
		if seen[name] {
			t.Errorf("event type %s is not unique", name)
		}
		seen[name] = true
		typ := reflect.TypeOf(e)
		if typ.Kind() != reflect.Struct {
			t.Errorf("%s must be a value struct, is %v", name, typ.Kind())
			continue
		}
		if typ.Name() != name {
			t.Errorf("Go type %s has event type %s", typ.Name(), name)
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if tag := f.Tag.Get("json"); tag == "" || tag == "-" {
				t.Errorf("%s.%s has no json tag", name, f.Name)
			}
			if f.Type.Kind() == reflect.String && f.Tag.Get("pii") == "" && piiSuspect(f.Name) {
				t.Errorf("%s.%s looks personal; tag it pii:\"true\" (or pii:\"false\" when it is not)", name, f.Name)
			}
		}
	}
}

func piiSuspect(field string) bool {
	for _, w := range []string{"Name", "Text", "Reason", "Note", "Summary", "What"} {
		if strings.Contains(field, w) {
			return true
		}
	}
	return false
}

// TestDomainImports enforces the layer rule: domain packages import only
// the standard library, github.com/google/uuid and domain packages.
func TestDomainImports(t *testing.T) {
	const module = "github.com/buergerbuero/buergerbuero/"
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			std := !strings.Contains(strings.SplitN(p, "/", 2)[0], ".")
			if std || p == "github.com/google/uuid" || strings.HasPrefix(p, module+"domain") {
				continue
			}
			t.Errorf("%s imports %s", path, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
