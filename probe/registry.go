package probe

import (
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/internal/registry"
	"github.com/devstack-dev/devstack/probe/spec"
)

// Builder makes the strategy that checks a spec of its kind.
type Builder func(s spec.Spec) (Strategy, error)

var (
	builders = registry.New[Builder]("probe: kind")
	bodies   = registry.New[func(body []byte) error]("probe: body judge")
)

// Register makes kind's strategies from b: each strategy file registers its own kind,
// so a new strategy is its file and nothing else.
func Register(kind string, b Builder) { builders.Add(kind, b) }

// RegisterBody names a judge of an HTTP answer's body, for a spec's Body.
func RegisterBody(name string, judge func(body []byte) error) { bodies.Add(name, judge) }

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
	b, ok := builders.Get(s.Kind)
	if !ok {
		return nil, fmt.Errorf("no probe strategy of kind %q (known: %s)", s.Kind, strings.Join(builders.Names(), ", "))
	}
	return b(s)
}

// body is the judge named name; nil for "".
func body(name string) (func([]byte) error, error) {
	if name == "" {
		return nil, nil
	}
	if j, ok := bodies.Get(name); ok {
		return j, nil
	}
	return nil, fmt.Errorf("no HTTP body judge named %q", name)
}
