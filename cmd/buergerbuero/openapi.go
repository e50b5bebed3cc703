package main

import (
	"context"
	"fmt"
	"os"

	"github.com/buergerbuero/buergerbuero/adapters/eventstore"
	"github.com/buergerbuero/buergerbuero/adapters/httpapi"
	"github.com/buergerbuero/buergerbuero/application"
)

// runOpenAPI prints the OpenAPI 3.1 document (or the AsyncAPI catalogue) without starting a server, for
// `make openapi` and for integrators.
func runOpenAPI(_ context.Context, args []string, env environment) error {
	var out string
	var async bool
	fs := newFlagSet("openapi", "Writes the API's OpenAPI 3.1 document, or with --asyncapi the event catalogue (AsyncAPI 3.0), as YAML without starting anything.", env.stderr)
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	fs.BoolVar(&async, "asyncapi", false, "write the AsyncAPI event catalogue instead")
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	var doc []byte
	var err error
	if async {
		var registry *eventstore.Registry
		if registry, err = eventstore.NewRegistry(application.EventTypes()...); err != nil {
			return err
		}
		doc, err = httpapi.AsyncAPIYAML(registry)
	} else {
		doc, err = httpapi.OpenAPIYAML()
	}
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
