package stack

import (
	"context"

	"github.com/devstack-dev/devstack/config"
)

// DownReport says what down removed.
type DownReport struct {
	Project    string   `json:"project"`
	Containers []string `json:"containers"`
	Network    string   `json:"network"`
	Volumes    []string `json:"volumes"` // removed only with --volumes
}

// Down removes the project's containers and network, and its volumes when asked. It
// finds them by label, so services dropped from the plan since are removed too, and
// nothing devstack did not make is touched.
func Down(ctx context.Context, eng Engine, cfg *config.Config, volumes bool) (*DownReport, error) {
	r := &DownReport{Project: cfg.Project, Containers: []string{}, Volumes: []string{}}
	list, err := eng.List(ctx, cfg.Project)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if err := eng.Remove(ctx, c.ID); err != nil {
			return r, err
		}
		r.Containers = append(r.Containers, c.Name)
	}
	if err := eng.RemoveNetwork(ctx, NetworkName(cfg.Project)); err != nil {
		return r, err
	}
	r.Network = NetworkName(cfg.Project)
	if !volumes {
		return r, nil
	}
	names, err := eng.Volumes(ctx, cfg.Project)
	if err != nil {
		return r, err
	}
	for _, v := range names {
		if err := eng.RemoveVolume(ctx, v); err != nil {
			return r, err
		}
		r.Volumes = append(r.Volumes, v)
	}
	return r, nil
}
