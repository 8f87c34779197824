package stack

import (
	"context"
	"errors"
	"slices"

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
}

// Down removes the project's containers and network, and its volumes when asked. It
// finds them by label, so services dropped from the plan since are removed too, and
// nothing devstack did not make is touched. Given services, it removes only theirs and
// leaves the network to the others.
func Down(ctx context.Context, eng Engine, cfg *config.Config, volumes bool, only []string) (*DownReport, error) {
	r := &DownReport{Project: cfg.Project, Services: only, Containers: []string{}, Volumes: []string{}}
	chosen := func(service string) bool { return len(only) == 0 || slices.Contains(only, service) }
	list, err := eng.List(ctx, cfg.Project)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if !chosen(c.Labels[engine.LabelService]) {
			continue
		}
		if err := eng.Remove(ctx, c.ID); err != nil {
			return r, err
		}
		r.Containers = append(r.Containers, c.Name)
	}
	if len(only) == 0 {
		switch err := eng.RemoveNetwork(ctx, plan.NetworkName(cfg.Project)); {
		case err == nil:
			r.Network = plan.NetworkName(cfg.Project)
		case !errors.Is(err, engine.ErrNotFound): // not there: nothing to report
			return r, err
		}
	}
	if !volumes {
		return r, nil
	}
	names, err := eng.Volumes(ctx, cfg.Project)
	if err != nil {
		return r, err
	}
	for _, v := range names {
		if len(only) > 0 && !slices.ContainsFunc(only, func(s string) bool { return plan.VolumeName(cfg.Project, s) == v }) {
			continue
		}
		if err := eng.RemoveVolume(ctx, v); err != nil {
			return r, err
		}
		r.Volumes = append(r.Volumes, v)
	}
	return r, nil
}
