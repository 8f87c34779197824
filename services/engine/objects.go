package engine

import (
	"context"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

// EnsureNetwork creates the project's network unless it exists.
func (c *Client) EnsureNetwork(ctx context.Context, name string, labels map[string]string) error {
	if _, err := c.api.NetworkInspect(ctx, name, network.InspectOptions{}); err == nil {
		return nil
	} else if !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("inspect network %s: %w", name, c.wrap(err))
	}
	_, err := c.api.NetworkCreate(ctx, name, network.CreateOptions{Driver: "bridge", Labels: labels})
	if err != nil && !cerrdefs.IsConflict(err) {
		return fmt.Errorf("create network %s: %w", name, c.wrap(err))
	}
	return nil
}

// RemoveNetwork removes a network; one that is not there is ErrNotFound, so that a caller
// reports only what it removed.
func (c *Client) RemoveNetwork(ctx context.Context, name string) error {
	err := c.api.NetworkRemove(ctx, name)
	if cerrdefs.IsNotFound(err) {
		return fmt.Errorf("network %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("remove network %s: %w", name, c.wrap(err))
	}
	return nil
}

// EnsureVolume creates a named volume unless it exists (creating an existing one is a no-op).
func (c *Client) EnsureVolume(ctx context.Context, name string, labels map[string]string) error {
	if _, err := c.api.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: labels}); err != nil {
		return fmt.Errorf("create volume %s: %w", name, c.wrap(err))
	}
	return nil
}

// Volumes lists the names of the project's volumes.
func (c *Client) Volumes(ctx context.Context, project string) ([]string, error) {
	resp, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelProject+"="+project))})
	if err != nil {
		return nil, fmt.Errorf("list %s's volumes: %w", project, c.wrap(err))
	}
	var out []string
	for _, v := range resp.Volumes {
		out = append(out, v.Name)
	}
	return out, nil
}

// RemoveVolume deletes a volume and the data in it.
func (c *Client) RemoveVolume(ctx context.Context, name string) error {
	if err := c.api.VolumeRemove(ctx, name, false); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("remove volume %s: %w", name, c.wrap(err))
	}
	return nil
}

// Volume is what devstack reads back about a volume.
type Volume struct {
	Name      string
	Labels    map[string]string
	CreatedAt string // as the engine reports it: with the name, tells a re-created volume from the old
}

// Volume inspects a volume; an absent one is ErrNotFound.
func (c *Client) Volume(ctx context.Context, name string) (*Volume, error) {
	v, err := c.api.VolumeInspect(ctx, name)
	if cerrdefs.IsNotFound(err) {
		return nil, fmt.Errorf("volume %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("inspect volume %s: %w", name, c.wrap(err))
	}
	return &Volume{Name: v.Name, Labels: v.Labels, CreatedAt: v.CreatedAt}, nil
}
