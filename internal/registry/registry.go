// Package registry is the one shape of devstack's registries by name: probe strategies,
// fixture loaders, a driver's steps, name rules and hooks. Drivers add themselves from
// init, and the data (a service's YAML) names them; a name added twice is a programming
// error, found at start-up.
package registry

import (
	"sort"
	"sync"
)

// Of holds the values of one kind by name.
type Of[T any] struct {
	what string // "probe kind", for the panic that names a duplicate
	mu   sync.RWMutex
	m    map[string]T
}

// New is an empty registry of what.
func New[T any](what string) *Of[T] { return &Of[T]{what: what, m: map[string]T{}} }

// Add registers v under name; a name registered twice panics.
func (r *Of[T]) Add(name string, v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[name]; dup {
		panic(r.what + " " + name + " registered twice")
	}
	r.m[name] = v
}

// Get is the value registered under name.
func (r *Of[T]) Get(name string) (T, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.m[name]
	return v, ok
}

// Names lists the registered names, sorted, for messages.
func (r *Of[T]) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.m))
	for k := range r.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
