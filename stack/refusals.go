package stack

import (
	"context"
	"errors"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// Refusals remembers, across runs, what this engine refused: on an engine that cannot
// raise resource limits, up creates the container without them at once, instead of
// creating it, failing to start it, removing it and creating it again (a second or so,
// on the slowest service's path, on every up). *enginecache.Cache implements it.
type Refusals interface {
	UlimitsRefused(ctx context.Context) bool
	RememberUlimitsRefused(ctx context.Context) error
}

// refusalsLookup asks Refusals in the background (one engine request and a file read),
// alongside the preflight, so that the answer is there before the first container is made.
type refusalsLookup struct {
	r       Refusals
	done    chan struct{}
	refused bool
}

func lookupRefusals(ctx context.Context, r Refusals, units []plan.Unit) *refusalsLookup {
	l := &refusalsLookup{r: r, done: make(chan struct{})}
	if r == nil || !anyUlimits(units) {
		close(l.done)
		return l
	}
	go func() {
		defer close(l.done)
		l.refused = r.UlimitsRefused(ctx)
	}()
	return l
}

func anyUlimits(units []plan.Unit) bool {
	for _, u := range units {
		if len(u.Spec.Ulimits) > 0 {
			return true
		}
	}
	return false
}

// ulimitsRefused waits for the answer; nil (no memory) knows nothing.
func (l *refusalsLookup) ulimitsRefused(ctx context.Context) bool {
	if l == nil {
		return false
	}
	select {
	case <-l.done:
		return l.refused
	case <-ctx.Done():
		return false
	}
}

// rememberUlimits records the refusal. A cache that cannot be written costs the next up
// one refused attempt, which is what it cost before there was a cache: not worth failing
// or warning about.
func (l *refusalsLookup) rememberUlimits(ctx context.Context) {
	if l != nil && l.r != nil {
		_ = l.r.RememberUlimitsRefused(context.WithoutCancel(ctx))
	}
}

// reconcileLimits is reconcile, for an engine that may refuse the ulimits u asks for:
// when the engine is known to refuse them, the container is created without them; when
// it refuses them now, the container is replaced by one without them, and the refusal
// remembered. The warning says when a container runs without them.
func reconcileLimits(ctx context.Context, eng Engine, u plan.Unit, have *engine.Container, opts UpOptions) (id, action, warning string, err error) {
	memory := opts.run.lookup()
	known := len(u.Spec.Ulimits) > 0 && memory.ulimitsRefused(ctx)
	creator := eng
	if known {
		creator = withoutUlimitsEngine{eng}
	}
	id, action, err = reconcile(ctx, creator, u, have, opts.Progress)
	if err == nil && known && (action == Created || action == Recreated) {
		warning = ulimitsWarning
	}
	if errors.Is(err, engine.ErrUlimits) && len(u.Spec.Ulimits) > 0 {
		// Also when known: a stopped container made before the engine refused them.
		id, err = withoutUlimits(ctx, eng, u, id)
		if action == Started {
			action = Recreated // the stopped container was replaced, not started
		}
		if err == nil {
			memory.rememberUlimits(ctx)
		}
		warning = ulimitsWarning
	}
	if warning != "" {
		opts.Progress.Service(u.Name(), "warning: "+warning)
	}
	return id, action, warning, err
}

// withoutUlimitsEngine creates every container without its ulimits, as withoutUlimits
// does after a refusal: labelled with the hash of the spec it stands for, so later runs
// see it as unchanged, and with a label that says what was left out.
type withoutUlimitsEngine struct{ Engine }

func (e withoutUlimitsEngine) Create(ctx context.Context, spec engine.ContainerSpec) (string, error) {
	return e.Engine.Create(ctx, degradedSpec(spec))
}

// degradedSpec is spec without its ulimits, labelled as standing for spec.
func degradedSpec(spec engine.ContainerSpec) engine.ContainerSpec {
	out := spec
	out.Ulimits = nil
	// The wanted spec's hash and fields, so status compares with what was asked for.
	out.Labels = map[string]string{engine.LabelSpec: spec.Hash(), engine.LabelFields: spec.FieldsLabel(), engine.LabelDegraded: "ulimits"}
	for k, v := range spec.Labels {
		out.Labels[k] = v
	}
	return out
}
