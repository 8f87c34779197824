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
	for _, ctr := range list {
		for _, p := range ctr.Ports {
			if p.PublicPort != 0 {
				out[int(p.PublicPort)] = ctr.Labels[LabelService]
			}
		}
	}
	return out, nil
}
