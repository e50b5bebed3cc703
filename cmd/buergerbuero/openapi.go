package main

import (
	"context"
	"fmt"
	"os"

	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
)

// runOpenAPI prints the OpenAPI 3.1 document without starting a server, for
// `make openapi` and for integrators.
func runOpenAPI(_ context.Context, args []string, env environment) error {
	var out string
	fs := newFlagSet("openapi", "Writes the API's OpenAPI 3.1 document (YAML) without starting anything.", env.stderr)
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	doc, err := httpapi.OpenAPIYAML()
	if err != nil {
		return err
	}
	if out == "" {
		_, err = env.stdout.Write(doc)
		return err
	}
	if err := os.WriteFile(out, doc, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
