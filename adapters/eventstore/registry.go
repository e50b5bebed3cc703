package eventstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Upcaster turns the JSON payload of an older schema version into the next
// version's payload.
type Upcaster func(data []byte) ([]byte, error)

// eventType is one entry of the registry.
type eventType struct {
	goType    reflect.Type
	version   int              // current schema version, ≥ 1
	upcasters map[int]Upcaster // from version v to v+1
}

// Registry maps stable event type names to Go types and schema versions.
// It is built explicitly by the composition root and read-only afterwards.
type Registry struct {
	types map[string]*eventType
}

// NewRegistry registers events (zero values of value-struct event types) at
// schema version 1. Duplicate names and pointer types are errors.
func NewRegistry(events ...domain.Event) (*Registry, error) {
	r := &Registry{types: map[string]*eventType{}}
	var errs []error
	for _, e := range events {
		if err := r.add(e); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Registry) add(e domain.Event) error {
	if e == nil {
		return errors.New("registry: nil event")
	}
	t := reflect.TypeOf(e)
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("registry: %s must be a value struct, not %s", e.EventType(), t.Kind())
	}
	name := e.EventType()
	if name == "" {
		return fmt.Errorf("registry: %s has an empty event type", t)
	}
	if prev, ok := r.types[name]; ok {
		return fmt.Errorf("registry: event type %q registered twice (%s and %s)", name, prev.goType, t)
	}
	r.types[name] = &eventType{goType: t, version: 1, upcasters: map[int]Upcaster{}}
	return nil
}

// WithVersion declares that typ's current schema is version v and registers
// the upcasters from every older version: ups[0] turns v1 into v2, and so on.
func (r *Registry) WithVersion(typ string, v int, ups ...Upcaster) error {
	et, ok := r.types[typ]
	if !ok {
		return fmt.Errorf("registry: %w: %q", errUnregistered, typ)
	}
	if v < 1 || len(ups) != v-1 {
		return fmt.Errorf("registry: %q version %d needs %d upcasters, got %d", typ, v, v-1, len(ups))
	}
	et.version = v
	for i, u := range ups {
		et.upcasters[i+1] = u
	}
	return nil
}

var errUnregistered = errors.New("event type not registered")

// Types lists the registered type names in order, for catalogues.
func (r *Registry) Types() []string {
	names := make([]string, 0, len(r.types))
	for n := range r.types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// GoType returns the Go type and current schema version of an event type.
func (r *Registry) GoType(name string) (reflect.Type, int, bool) {
	et, ok := r.types[name]
	if !ok {
		return nil, 0, false
	}
	return et.goType, et.version, true
}

// version returns the current schema version of e's type.
func (r *Registry) version(e domain.Event) (int, error) {
	et, ok := r.types[e.EventType()]
	if !ok {
		return 0, fmt.Errorf("%w: %q", errUnregistered, e.EventType())
	}
	if reflect.TypeOf(e) != et.goType {
		return 0, fmt.Errorf("registry: %q is registered as %s, got %T", e.EventType(), et.goType, e)
	}
	return et.version, nil
}

// decode turns a stored payload of the given schema version into the current
// Go value, upcasting it first when it is older.
func (r *Registry) decode(name string, version int, data []byte) (domain.Event, error) {
	et, ok := r.types[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", errUnregistered, name)
	}
	if version < 1 {
		version = 1
	}
	if version > et.version {
		return nil, fmt.Errorf("event %q has schema version %d, newer than this build's %d", name, version, et.version)
	}
	for v := version; v < et.version; v++ {
		var err error
		if data, err = et.upcasters[v](data); err != nil {
			return nil, fmt.Errorf("upcast %q from version %d: %w", name, v, err)
		}
	}
	ptr := reflect.New(et.goType)
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		return nil, fmt.Errorf("decode %q: %w", name, err)
	}
	return ptr.Elem().Interface().(domain.Event), nil
}
