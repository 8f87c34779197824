package stack

import (
	"context"
	"sync"

	"github.com/devstack-dev/devstack/plan"
)

// dependsGate holds a service until the services it depends on (its definition's
// DependsOn) that the same up brings up have come up: ready, or failed, as the wait ends
// either way and the report says which failed. A dependency this up does not bring up is
// not waited for: it runs already, or the project chose not to run it. config refuses a
// cycle, so every wait ends.
type dependsGate struct {
	deps map[string][]string // by service: its dependencies in this up
	done map[string]chan struct{}
	once map[string]*sync.Once
}

func newDependsGate(units []plan.Unit) *dependsGate {
	g := &dependsGate{deps: map[string][]string{}, done: map[string]chan struct{}{}, once: map[string]*sync.Once{}}
	for _, u := range units {
		g.done[u.Name()] = make(chan struct{})
		g.once[u.Name()] = &sync.Once{}
	}
	for _, u := range units {
		if u.Service == nil || u.Service.Service == nil {
			continue
		}
		for _, d := range u.Service.DependsOn {
			if _, ok := g.done[d]; ok && d != u.Name() {
				g.deps[u.Name()] = append(g.deps[u.Name()], d)
			}
		}
	}
	return g
}

// waits says whether service has a dependency to wait for.
func (g *dependsGate) waits(service string) bool { return len(g.deps[service]) > 0 }

// wait returns once each of service's dependencies has come up, or ctx is done.
func (g *dependsGate) wait(ctx context.Context, service string) {
	for _, d := range g.deps[service] {
		select {
		case <-g.done[d]:
		case <-ctx.Done():
			return
		}
	}
}

// finish lets the services that depend on service go.
func (g *dependsGate) finish(service string) {
	if o, ok := g.once[service]; ok {
		o.Do(func() { close(g.done[service]) })
	}
}
