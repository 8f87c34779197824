package engine

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// PortOwner is the devstack stack and service whose container publishes a port.
type PortOwner struct {
	Project  string `json:"project"` // the stack's identity (LabelProject)
	Service  string `json:"service"`
	Checkout string `json:"checkout,omitempty"` // the checkout that made it, when labelled
}

// ownerOf reads a container's owner from its labels.
func ownerOf(labels map[string]string) PortOwner {
	return PortOwner{Project: labels[LabelProject], Service: labels[LabelService], Checkout: labels[LabelCheckout]}
}

// PublishedPorts returns the host ports that devstack's containers publish, of every
// project, with the project and service of each: a port another project holds is named
// as that project's, not as docker-proxy. Paused, restarting and just-created containers
// count too: their ports are theirs, and up carries them on.
func (c *Client) PublishedPorts(ctx context.Context) (map[int]PortOwner, error) {
	// States are sorted here, not by a status filter: Podman's API refuses the filter
	// value "restarting" (500, unknown container state), which left no port "ours".
	args := filters.NewArgs(filters.Arg("label", LabelProject))
	all, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
	if err != nil {
		return nil, fmt.Errorf("list devstack's containers: %w", c.unreachable(err))
	}
	var list []container.Summary
	for _, ctr := range all {
		if !stoppedState(ctr.State) {
			list = append(list, ctr)
		}
	}
	out := map[int]PortOwner{}
	every := len(list) == 0 || c.listsEveryPort(ctx)
	for _, ctr := range list {
		for _, p := range ctr.Ports {
			if p.PublicPort != 0 {
				out[int(p.PublicPort)] = ownerOf(ctr.Labels)
			}
		}
		if !every {
			// Podman 4's list shows a run of consecutive ports (MinIO's 9000-9001) by its
			// first port only; its inspect shows them all.
			info, err := c.Inspect(ctx, ctr.ID)
			if err != nil {
				return nil, err
			}
			for _, p := range info.Ports {
				out[p.HostPort] = ownerOf(ctr.Labels)
			}
		}
	}
	return out, nil
}

// stoppedState is a container state that holds no port: Docker's exited and dead, Podman's
// stopped, and one being removed.
func stoppedState(state string) bool {
	switch state {
	case "exited", "dead", "stopped", "removing":
		return true
	}
	return false
}
