package engine

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// PublishedPorts returns the host ports that the project's running containers publish,
// by the service that publishes each.
func (c *Client) PublishedPorts(ctx context.Context, project string) (map[int]string, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{
		Filters: filters.NewArgs(filters.Arg("label", LabelProject+"="+project), filters.Arg("status", "running")),
	})
	if err != nil {
		return nil, fmt.Errorf("list %s's containers: %w", project, c.unreachable(err))
	}
	out := map[int]string{}
	every := len(list) == 0 || c.listsEveryPort(ctx)
	for _, ctr := range list {
		for _, p := range ctr.Ports {
			if p.PublicPort != 0 {
				out[int(p.PublicPort)] = ctr.Labels[LabelService]
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
				out[p.HostPort] = ctr.Labels[LabelService]
			}
		}
	}
	return out, nil
}
