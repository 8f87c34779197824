package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
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

// RemoveNetwork removes a network if it is there.
func (c *Client) RemoveNetwork(ctx context.Context, name string) error {
	if err := c.api.NetworkRemove(ctx, name); err != nil && !cerrdefs.IsNotFound(err) {
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

// PullError names the image that could not be had and how to use another.
type PullError struct {
	Image string
	Env   string // DEVSTACK_IMAGE_<SERVICE>
	Err   error
}

func (e *PullError) Error() string { return fmt.Sprintf("pull image %s: %v", e.Image, e.Err) }
func (e *PullError) Unwrap() error { return e.Err }
func (e *PullError) Hint() string {
	return fmt.Sprintf("check the name and your registry access (docker pull %s), or point devstack at another image: set %s=IMAGE, or image: under the service in devstack.yaml", e.Image, e.Env)
}

// EnsureImage pulls ref unless the engine has it, reporting progress as it goes.
func (c *Client) EnsureImage(ctx context.Context, ref, env string, progress func(string)) error {
	if _, err := c.api.ImageInspect(ctx, ref); err == nil {
		return nil
	} else if !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("inspect image %s: %w", ref, c.wrap(err))
	}
	rc, err := c.api.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return &PullError{Image: ref, Env: env, Err: c.wrap(err)}
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	for {
		var msg struct {
			Status   string `json:"status"`
			Progress string `json:"progress"`
			ID       string `json:"id"`
			Error    string `json:"error"`
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return &PullError{Image: ref, Env: env, Err: err}
		}
		if msg.Error != "" {
			return &PullError{Image: ref, Env: env, Err: errors.New(msg.Error)}
		}
		if progress != nil && msg.Status != "" {
			progress(fmt.Sprintf("%s %s %s", msg.ID, msg.Status, msg.Progress))
		}
	}
}
