package probe

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/devstack-dev/devstack/probe/spec"
)

// Builder makes the strategy that checks a spec of its kind.
type Builder func(s spec.Spec) (Strategy, error)

var (
	mu       sync.RWMutex
	builders = map[string]Builder{}
	bodies   = map[string]func(body []byte) error{}
)

// Register makes kind's strategies from b: each strategy file registers its own kind,
// so a new strategy is its file and nothing else.
func Register(kind string, b Builder) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := builders[kind]; dup {
		panic("probe: kind " + kind + " registered twice")
	}
	builders[kind] = b
}

// RegisterBody names a judge of an HTTP answer's body, for a spec's Body.
func RegisterBody(name string, judge func(body []byte) error) {
	mu.Lock()
	defer mu.Unlock()
	bodies[name] = judge
}

// Build is the strategy that checks s.
func Build(s spec.Spec) (Strategy, error) {
	if s.Kind == "all" {
		out := make(all, 0, len(s.All))
		for _, p := range s.All {
			st, err := Build(p)
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
		return out, nil
	}
	mu.RLock()
	b, ok := builders[s.Kind]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("no probe strategy of kind %q (known: %s)", s.Kind, strings.Join(known(), ", "))
	}
	return b(s)
}

// body is the judge named name; nil for "".
func body(name string) (func([]byte) error, error) {
	if name == "" {
		return nil, nil
	}
	mu.RLock()
	defer mu.RUnlock()
	if j, ok := bodies[name]; ok {
		return j, nil
	}
	return nil, fmt.Errorf("no HTTP body judge named %q", name)
}

func known() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(builders))
	for k := range builders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
