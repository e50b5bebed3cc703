package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/yaml"
)

// EventCatalog is the event types the event store knows, by stable name,
// with their Go type and current schema version; *eventstore.Registry
// implements it.
type EventCatalog interface {
	Types() []string
	GoType(name string) (reflect.Type, int, bool)
}

// AsyncAPIYAML returns the AsyncAPI 3.0 document of the system's messages:
// every recorded event type of catalog (the registry the event store is
// built with, eventstore.NewRegistry(application.EventTypes()...)) on the
// $all channel, and the server-sent event streams of the API with their
// event types. `buergerbuero openapi` writes it as api/asyncapi.yaml.
func AsyncAPIYAML(catalog EventCatalog) ([]byte, error) {
	doc, err := asyncAPI(Documented(), catalog)
	if err != nil {
		return nil, err
	}
	j, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := yaml.Convert(&buf, bytes.NewReader(j)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func asyncAPI(a *API, catalog EventCatalog) (map[string]any, error) {
	reg := huma.NewMapRegistry("#/components/schemas/", huma.DefaultSchemaNamer)
	messages := map[string]any{}
	allMessages := map[string]any{}
	for _, name := range catalog.Types() {
		t, version, ok := catalog.GoType(name)
		if !ok {
			return nil, fmt.Errorf("asyncapi: event type %s has no Go type", name)
		}
		payload := reg.Schema(t, true, name)
		messages[name] = map[string]any{
			"name": name, "title": name, "contentType": "application/json",
			"summary":          fmt.Sprintf("Recorded event %s, schema version %d", name, version),
			"payload":          payload,
			"x-schema-version": version,
			"headers":          map[string]any{"$ref": "#/components/schemas/EventMetadata"},
		}
		allMessages[name] = map[string]any{"$ref": "#/components/messages/" + name}
	}
	schemas := map[string]any{}
	for name, s := range reg.Map() {
		schemas[name] = s
	}
	schemas["EventMetadata"] = eventMetadataSchema()

	channels := map[string]any{
		"all": map[string]any{
			"address":     "$all",
			"title":       "Every recorded event",
			"description": "The event store's $all stream: one stream per aggregate (office-, visit-, appointment-, slots-, case-, staff- …), JSON payloads, metadata with correlation, causation, actor (role and ID), time and schema version.",
			"messages":    allMessages,
		},
	}
	operations := map[string]any{
		"receiveRecordedEvents": map[string]any{
			"action": "receive", "channel": map[string]any{"$ref": "#/channels/all"},
			"summary": "Catch-up subscription to $all (read models, policies, timers)",
		},
	}

	api := a.huma.OpenAPI()
	paths := make([]string, 0, len(api.Paths))
	for p := range api.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		op := api.Paths[p].Get
		if op == nil || op.Responses["200"] == nil || op.Responses["200"].Content["text/event-stream"] == nil {
			continue
		}
		ch := map[string]any{}
		for _, one := range op.Responses["200"].Content["text/event-stream"].Schema.OneOf {
			data := one.Properties["data"]
			name := op.OperationID + "." + one.Title
			if err := copySchemaRefs(api.Components.Schemas, data, schemas); err != nil {
				return nil, err
			}
			messages[name] = map[string]any{
				"name": one.Title, "title": one.Title, "contentType": "application/json",
				"summary": fmt.Sprintf("Server-sent event %q of %s", one.Title, op.OperationID), "payload": data,
			}
			ch[one.Title] = map[string]any{"$ref": "#/components/messages/" + name}
		}
		channels[op.OperationID] = map[string]any{
			"address": p, "title": op.Summary, "description": op.Description, "messages": ch,
			"x-permission": op.Extensions["x-permission"],
		}
		operations[op.OperationID] = map[string]any{
			"action": "receive", "channel": map[string]any{"$ref": "#/channels/" + op.OperationID},
			"summary": op.Summary, "tags": tagsOf(op.Tags),
		}
	}
	return map[string]any{
		"asyncapi": "3.0.0",
		"info": map[string]any{
			"title": Title + " – events", "version": Version,
			"description": "Generated from the event store's type registry and the API's event streams; do not edit.",
		},
		"defaultContentType": "application/json",
		"channels":           channels,
		"operations":         operations,
		"components":         map[string]any{"schemas": schemas, "messages": messages},
	}, nil
}

// copySchemaRefs copies the OpenAPI component schemas s refers to
// (transitively) into dst; a name already taken by another schema is an
// error rather than a silent overwrite.
func copySchemaRefs(src huma.Registry, s *huma.Schema, dst map[string]any) error {
	if s == nil {
		return nil
	}
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		if have, ok := dst[name]; ok {
			if hs, ok := have.(*huma.Schema); ok && hs == src.Map()[name] {
				return nil
			}
			return fmt.Errorf("asyncapi: schema name %s is used by an event and by the API", name)
		}
		target := src.Map()[name]
		dst[name] = target
		return copySchemaRefs(src, target, dst)
	}
	for _, p := range s.Properties {
		if err := copySchemaRefs(src, p, dst); err != nil {
			return err
		}
	}
	if err := copySchemaRefs(src, s.Items, dst); err != nil {
		return err
	}
	for _, o := range append(append(s.OneOf, s.AnyOf...), s.AllOf...) {
		if err := copySchemaRefs(src, o, dst); err != nil {
			return err
		}
	}
	return nil
}

func tagsOf(names []string) []map[string]string {
	out := make([]map[string]string, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]string{"name": n})
	}
	return out
}

func eventMetadataSchema() map[string]any {
	str := func(desc string) map[string]any {
		return map[string]any{"type": "string", "maxLength": 200, "description": desc}
	}
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			"$correlationId": str("Request or process the event belongs to"),
			"$causationId":   str("Event or command that caused it"),
			"actorRole":      str("citizen, clerk, auditor or system"),
			"actorId":        str("The actor's ID, never a name"),
			"occurredAt":     str("When it happened (RFC 3339)"),
			"schemaVersion":  map[string]any{"type": "integer", "minimum": 1},
			"prevHash":       str("Case streams: hash of the previous event (the audit hash chain)"),
		},
	}
}
