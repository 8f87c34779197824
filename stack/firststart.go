package stack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// VolumeMemory remembers, for each data volume devstack made, whether its service's
// first start on it began and whether it ever became ready (state.ReadyVolumes); nil
// remembers nothing and judges nothing.
type VolumeMemory interface {
	Started(volume, instance string) error
	Ready(volume, instance string) error
	NeverReady(volume, instance string) (bool, error)
}

// NeverReadyError refuses up before it waits: these volumes were made by an up whose
// service never became ready on them (its first initialisation was interrupted), so
// their data is half-made; PostgreSQL's then sits in recovery or refuses logins, and
// waiting does not heal it.
type NeverReadyError struct{ Services, Volumes []string }

func (e *NeverReadyError) Error() string {
	return fmt.Sprintf("volumes %s never became ready: the first start of %s on them was cut short, and the image initialises its data only on a first start, so that data is half-made; nothing was started",
		strings.Join(e.Volumes, ", "), strings.Join(e.Services, ", "))
}

// Hint resets only those services.
func (e *NeverReadyError) Hint() string {
	return "reset these services: devstack down --volumes " + strings.Join(e.Services, " ") +
		" (deletes only their half-made data; the other services keep theirs), then devstack up"
}

// checkNeverReady names the volumes whose first initialisation was interrupted, and
// returns each existing volume's instance by service, for marking it ready later.
// A service whose container still runs is not judged: up was interrupted while it
// initialised (Ctrl-C), and it may finish; this up waits on it as usual.
func checkNeverReady(units []plan.Unit, have []*engine.Container, vols []*engine.Volume, memory VolumeMemory) (map[string]string, error) {
	instances := map[string]string{}
	if memory == nil {
		return instances, nil
	}
	e := &NeverReadyError{}
	for i, u := range units {
		vol := vols[i]
		if vol == nil {
			continue
		}
		instances[u.Name()] = vol.Instance()
		// Only an image that initialises once leaves a cut-short first start unrepaired;
		// any other service carries on at its next start.
		if !u.Service.InitOnce {
			continue
		}
		if c := have[i]; c != nil && c.State != "exited" && c.State != "dead" {
			continue
		}
		never, err := memory.NeverReady(vol.Name, vol.Instance())
		if err != nil {
			return nil, err
		}
		if never {
			e.Services, e.Volumes = append(e.Services, u.Name()), append(e.Volumes, vol.Name)
		}
	}
	if len(e.Services) > 0 {
		return nil, e
	}
	return instances, nil
}

// findNew looks up the volumes prepare just made (those without an instance yet): their
// first start is recorded once the engine has started the service on them.
func findNew(ctx context.Context, eng Engine, units []plan.Unit, instances map[string]string) (map[string]bool, error) {
	fresh := map[string]bool{}
	for _, u := range units {
		if u.Spec.Volume == "" || instances[u.Name()] != "" {
			continue
		}
		vol, err := eng.Volume(ctx, u.Spec.Volume)
		if err != nil {
			return nil, fmt.Errorf("volume %s just made: %w", u.Spec.Volume, err)
		}
		instances[u.Name()], fresh[u.Name()] = vol.Instance(), true
	}
	return fresh, nil
}

// recordStart records that the service's first start on a volume this up made has
// begun: only from here can its data be half-made. A volume whose container never
// started (a port conflict, Ctrl-C before the start) stays unjudged, as it is empty.
func recordStart(u plan.Unit, opts UpOptions) error {
	if opts.Volumes == nil || !opts.fresh[u.Name()] {
		return nil
	}
	if err := opts.Volumes.Started(u.Spec.Volume, opts.instances[u.Name()]); err != nil {
		return fmt.Errorf("record the first start on volume %s: %w", u.Spec.Volume, err)
	}
	return nil
}

// FirstStartGrace is how long down lets a service still in its first start finish it
// before stopping it. Docker's stop waits 10 s anyway for PostgreSQL, whose entrypoint
// ignores SIGTERM while it initialises, and then kills it: the data may then be
// half-made, and the next up refuses it.
const FirstStartGrace = 15 * time.Second

// Unfinished is a service down stops before its first start finished, and why it
// did not finish (still not answering, or its container exited).
type Unfinished struct{ Service, Reason string }

// ReadyOptions say which services down stops and how it waits on their first start.
type ReadyOptions struct {
	Only   []string // the services down was given; none for all
	Memory VolumeMemory
	Grace  time.Duration // 0 probes once and does not wait
	// Waiting is told, before down waits, which services it waits on.
	Waiting func(services []string, grace time.Duration)
}

// RecordReady records, before down stops them, the running services that became ready
// on a volume nobody saw ready: up was interrupted (Ctrl-C) while they initialised. One
// that has not finished is given opts.Grace to finish (all of them at once). Stopped
// unrecorded, the next up would name their data as half-made. Each is recorded as soon
// as it answers, so that a Ctrl-C during the wait loses none; those that did not finish
// are returned, so that down can say their first start is cut short.
func RecordReady(ctx context.Context, eng Engine, pl *plan.Plan, opts ReadyOptions) (unfinished []Unfinished, err error) {
	if opts.Memory == nil {
		return nil, nil
	}
	type pending struct {
		u   plan.Unit
		vol *engine.Volume
		id  string
	}
	// Not pl.Select: down may name a service no longer planned, to remove what is left of it.
	var units []plan.Unit
	for _, u := range pl.Units {
		if u.Service.InitOnce && (len(opts.Only) == 0 || slices.Contains(opts.Only, u.Name())) {
			units = append(units, u)
		}
	}
	vols, err := inspectVolumes(ctx, eng, units)
	if err != nil {
		return nil, err
	}
	var todo []pending
	for i, u := range units {
		vol := vols[i]
		if vol == nil {
			continue
		}
		never, err := opts.Memory.NeverReady(vol.Name, vol.Instance())
		if err != nil {
			return nil, err
		}
		if !never {
			continue
		}
		c, err := eng.Inspect(ctx, u.Spec.Name)
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if c.State != "running" || c.Labels[engine.LabelProject] != pl.Identity.ID {
			continue
		}
		at, _ := published(u, pl).at(c.Ports)
		if err := probeOnce(ctx, eng, at, c.ID); err != nil {
			todo = append(todo, pending{at, vol, c.ID})
			continue
		}
		if err := opts.Memory.Ready(vol.Name, vol.Instance()); err != nil {
			return nil, fmt.Errorf("record that volume %s became ready: %w", vol.Name, err)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	if opts.Grace <= 0 || ctx.Err() != nil {
		for _, p := range todo {
			unfinished = append(unfinished, Unfinished{p.u.Name(), "not answering"})
		}
		return unfinished, ctx.Err()
	}
	if opts.Waiting != nil {
		names := make([]string, len(todo))
		for i, p := range todo {
			names[i] = p.u.Name()
		}
		opts.Waiting(names, opts.Grace)
	}
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, p := range todo {
		wg.Go(func() {
			werr := waitReady(ctx, eng, p.u, p.id, opts.Grace)
			if werr == nil {
				if err := opts.Memory.Ready(p.vol.Name, p.vol.Instance()); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("record that volume %s became ready: %w", p.vol.Name, err))
					mu.Unlock()
				}
				return
			}
			if ctx.Err() != nil {
				return
			}
			mu.Lock()
			unfinished = append(unfinished, Unfinished{p.u.Name(), werr.Error()})
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(unfinished, func(a, b Unfinished) int { return strings.Compare(a.Service, b.Service) })
	return unfinished, errors.Join(errs...)
}
