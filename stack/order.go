package stack

import (
	"context"
	"sync"

	"github.com/devstack-dev/devstack/plan"
)

// upRun is what the services' goroutines of one up share.
type upRun struct {
	refusals *refusalsLookup
	gate     *startGate
	deps     *dependsGate
}

func newUpRun(ctx context.Context, units []plan.Unit, r Refusals) *upRun {
	return &upRun{refusals: lookupRefusals(ctx, r, units), gate: newStartGate(units), deps: newDependsGate(units)}
}

// turn holds service until it may start: after the lead's start (startGate), and after
// the services it depends on have come up (dependsGate). A lead that waits for a
// dependency lets the others go first, or its dependency would wait for it.
func (r *upRun) turn(ctx context.Context, service string) {
	if r == nil {
		return
	}
	if r.deps.waits(service) {
		r.started(service)
	}
	r.gate.wait(ctx, service)
	r.deps.wait(ctx, service)
}

// finished lets go the services waiting on service: it is up, or has failed.
func (r *upRun) finished(service string) {
	if r != nil {
		r.gate.release(service)
		r.deps.finish(service)
	}
}

// lookup is the memory of the engine's refusals; nil (a lone bringUp) knows nothing.
func (r *upRun) lookup() *refusalsLookup {
	if r == nil {
		return nil
	}
	return r.refusals
}

// started lets the others go once the lead's container has started (or failed to).
func (r *upRun) started(service string) {
	if r != nil {
		r.gate.release(service)
	}
}

// startGate makes the slowest service go first: its container is created and started
// alone, then all the others at once. On a small machine the engine's creates and starts
// compete for the CPU, and the service that needs the longest after its start would
// otherwise wait in that queue, adding its wait to up's total.
type startGate struct {
	lead string // "" when no service is slower than the others
	once sync.Once
	done chan struct{}
}

// newStartGate picks the lead by the readiness timeout each service declares (its own
// measure of how long it takes to come up), never by name; the first in plan order among
// equals. When all declare the same, nobody waits.
func newStartGate(units []plan.Unit) *startGate {
	g := &startGate{done: make(chan struct{})}
	if i := slowest(units); i >= 0 {
		g.lead = units[i].Name()
	} else {
		close(g.done)
	}
	return g
}

// slowest is the index of the first unit with the longest timeout, or -1 when no unit's
// is longer than another's.
func slowest(units []plan.Unit) int {
	lead, short := -1, -1
	for i, u := range units {
		if lead < 0 || u.Timeout > units[lead].Timeout {
			lead = i
		}
		if short < 0 || u.Timeout < units[short].Timeout {
			short = i
		}
	}
	if lead < 0 || units[lead].Timeout == units[short].Timeout {
		return -1
	}
	return lead
}

// wait holds every service but the lead until the lead's container has started.
func (g *startGate) wait(ctx context.Context, service string) {
	if service == g.lead {
		return
	}
	select {
	case <-g.done:
	case <-ctx.Done():
	}
}

func (g *startGate) release(service string) {
	if service == g.lead {
		g.once.Do(func() { close(g.done) })
	}
}
