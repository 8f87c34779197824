package stack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// DownReport says what down removed.
type DownReport struct {
	Project    string   `json:"project"`
	Services   []string `json:"services,omitempty"` // only these, when named
	Containers []string `json:"containers"`
	Network    string   `json:"network,omitempty"` // removed only when every service went
	Volumes    []string `json:"volumes"`           // removed only with --volumes
	// Left is what is still there after a failure or an interrupt; Foreign are objects
	// with devstack's names that devstack did not make, left alone.
	Left    []string `json:"left,omitempty"`
	Foreign []string `json:"foreign,omitempty"`

	volumesAsked bool
}

// DownError is a down that did not finish: it says what was removed and what is left.
type DownError struct {
	Left []string
	Err  error
}

func (e *DownError) Error() string {
	if len(e.Left) == 0 {
		return fmt.Sprintf("%v; the engine shows nothing of the project left", e.Err)
	}
	return fmt.Sprintf("%v; still there: %s", e.Err, strings.Join(e.Left, ", "))
}
func (e *DownError) Unwrap() error { return e.Err }

// Hint says to run down again only when something is left for it.
func (e *DownError) Hint() string {
	if len(e.Left) == 0 {
		return ""
	}
	return "run devstack down again to remove the rest"
}

// Down removes the checkout's containers and network, and its volumes when asked. It
// finds them by the label of the checkout's identity (never by the project's name, which
// other clones share), so services dropped from the plan since are removed too, and
// nothing devstack did not make is touched. Given services, it removes only theirs and
// leaves the network to the others. Containers are stopped all at once: each may take
// seconds to shut down cleanly, and they do not depend on each other.
func Down(ctx context.Context, eng Engine, cfg *config.Config, volumes bool, only []string) (*DownReport, error) {
	id := plan.IdentityOf(cfg).ID
	r := &DownReport{Project: cfg.Project, Services: only, Containers: []string{}, Volumes: []string{}, volumesAsked: volumes}
	chosen := func(service string) bool { return len(only) == 0 || slices.Contains(only, service) }
	list, err := eng.List(ctx, id)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var errs []error
	for _, c := range list {
		if !chosen(c.Labels[engine.LabelService]) {
			continue
		}
		wg.Go(func() {
			err := eng.Remove(ctx, c.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				r.Left = append(r.Left, "container "+c.Name)
				return
			}
			r.Containers = append(r.Containers, c.Name)
		})
	}
	wg.Wait()
	sort.Strings(r.Containers)
	sort.Strings(r.Left)
	if err := errors.Join(errs...); err != nil {
		if errors.Is(err, context.Canceled) {
			err = context.Canceled // interrupted: one cause, said once
		}
		r.Left = stillThere(ctx, eng, id, len(only) == 0, chosen, r.Left)
		return r, &DownError{Left: r.Left, Err: err}
	}
	if len(only) == 0 {
		removed, foreign, err := eng.RemoveNetwork(ctx, plan.NetworkName(id), id)
		if err != nil {
			return r, &DownError{Left: []string{"network " + plan.NetworkName(id)}, Err: err}
		}
		if removed {
			r.Network = plan.NetworkName(id)
		}
		if foreign != nil {
			r.Foreign = append(r.Foreign, foreign.Error())
		}
	}
	if !volumes {
		return r, nil
	}
	names, err := eng.Volumes(ctx, id)
	if err != nil {
		return r, err
	}
	for _, v := range names {
		// A snapshot restore names the service's volume NAME-data-SUFFIX (docs/snapshots.md).
		if len(only) > 0 && !slices.ContainsFunc(only, func(s string) bool {
			return plan.VolumeName(id, s) == v || strings.HasPrefix(v, plan.VolumeName(id, s)+"-")
		}) {
			continue
		}
		if err := eng.RemoveVolume(ctx, v); err != nil {
			return r, &DownError{Left: []string{"volume " + v}, Err: err}
		}
		r.Volumes = append(r.Volumes, v)
	}
	// A same-named volume without the project's label is not its data: say so, since
	// the user asked for the data to go.
	for _, s := range cfg.Services {
		name := plan.VolumeName(id, s.Name)
		if !chosen(s.Name) || slices.Contains(r.Volumes, name) {
			continue
		}
		if v, err := eng.Volume(ctx, name); err == nil && v.Labels[engine.LabelProject] != id {
			r.Foreign = append(r.Foreign, (&engine.ForeignError{Kind: "volume", Name: name, Project: id}).Error())
		}
	}
	return r, nil
}

// stillThere is what the engine shows of the project after down stopped short: a
// container whose stop was under way when Ctrl-C came may be running or exited, and the
// network was not yet tried. Asked with a context of its own, since the command's is
// cancelled; when the engine does not answer, what down knows it did not remove is said.
func stillThere(ctx context.Context, eng Engine, project string, network bool, chosen func(string) bool, known []string) []string {
	octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	list, err := eng.List(octx, project)
	if err != nil {
		return known
	}
	left := []string{}
	for _, c := range list {
		if chosen(c.Labels[engine.LabelService]) {
			left = append(left, "container "+c.Name)
		}
	}
	sort.Strings(left)
	if network {
		name := plan.NetworkName(project)
		if has, err := eng.HasNetwork(octx, name, project); err != nil || has {
			left = append(left, "network "+name)
		}
	}
	return left
}
