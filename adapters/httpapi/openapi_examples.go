package httpapi

import (
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// exampleOperation gives the JSON request body and the JSON success
// responses of an operation an example, derived from their schemas: field
// examples and defaults where the types declare them, else a value of the
// right shape (a UUID for a uuid, a Berlin time for a date-time, the first
// value of an enum, a string of the least length). Hand-written examples
// at a media type are kept.
func exampleOperation(oapi *huma.OpenAPI, op *huma.Operation) {
	reg := oapi.Components.Schemas
	if op.RequestBody != nil {
		for ct, mt := range op.RequestBody.Content {
			if isJSON(ct) && mt.Schema != nil && mt.Example == nil {
				mt.Example = exampleOf(reg, mt.Schema, 0)
			}
		}
	}
	for code, r := range op.Responses {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		for ct, mt := range r.Content {
			if isJSON(ct) && mt.Schema != nil && mt.Example == nil {
				mt.Example = exampleOf(reg, mt.Schema, 0)
			}
		}
	}
}

func isJSON(contentType string) bool {
	return contentType == "application/json" || strings.HasSuffix(contentType, "+json")
}

// exampleOf builds a value matching s; depth bounds recursive schemas.
func exampleOf(reg huma.Registry, s *huma.Schema, depth int) any {
	if s == nil || depth > 6 {
		return nil
	}
	if s.Ref != "" {
		return exampleOf(reg, reg.SchemaFromRef(s.Ref), depth+1)
	}
	switch {
	case len(s.Examples) > 0:
		return s.Examples[0]
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.OneOf) > 0:
		return exampleOf(reg, s.OneOf[0], depth+1)
	}
	switch s.Type {
	case huma.TypeObject:
		out := map[string]any{}
		for name, p := range s.Properties {
			if !slices.Contains(s.Required, name) && p.Ref == "" && p.Type == huma.TypeObject {
				continue // optional nested objects only make the example long
			}
			if v := exampleOf(reg, p, depth+1); v != nil {
				out[name] = v
			}
		}
		return out
	case huma.TypeArray:
		if v := exampleOf(reg, s.Items, depth+1); v != nil {
			return []any{v}
		}
		return []any{}
	case huma.TypeInteger, huma.TypeNumber:
		if s.Minimum != nil && *s.Minimum > 1 {
			return *s.Minimum
		}
		return 1
	case huma.TypeBoolean:
		return true
	case huma.TypeString:
		return exampleString(s)
	}
	return nil
}

func exampleString(s *huma.Schema) string {
	switch s.Format {
	case "uuid":
		return "0b6f3c5e-8d2a-4f1b-9c7e-3a5d2e1f4b60"
	case "date-time":
		return "2026-03-02T10:00:00+01:00"
	case "date":
		return "2026-03-02"
	case "time":
		return "10:00"
	case "uri":
		return "urn:uuid:0b6f3c5e-8d2a-4f1b-9c7e-3a5d2e1f4b60"
	case "email":
		return "buergerbuero@example.org"
	}
	if v, ok := patternExamples[s.Pattern]; ok {
		return v
	}
	v := "Beispiel"
	if s.MinLength != nil && len(v) < *s.MinLength {
		v += strings.Repeat("x", *s.MinLength-len(v))
	}
	if s.MaxLength != nil && len(v) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

// patternExamples match the patterns the API's strings use
// (TestExamplesMatchTheirSchemas fails when a new pattern needs one).
var patternExamples = map[string]string{
	"^[0-9a-f]{64}$":          strings.Repeat("ab", 32),
	"^[0-2][0-9]:[0-5][0-9]$": "10:00",
	"^[a-z]{2,3}$":            "de",
}
