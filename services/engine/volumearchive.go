package engine

import (
	"context"
	"fmt"
	"io"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// VolumeArchiveRoot is the name every entry of a volume's archive begins with: the
// engine rebases a copied directory on its base name, and the helper mounts the volume
// at volumeAt, whatever the service's own mount path is.
const VolumeArchiveRoot = "devstack-volume"

// Stop stops a running container and keeps it (and its volume): snapshot copies the data
// of a server that has shut down cleanly, then starts the same container again.
func (c *Client) Stop(ctx context.Context, id string, timeout int) error {
	if err := c.api.ContainerStop(ctx, id, container.StopOptions{Timeout: &timeout}); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("stop container %s: %w", id, c.wrap(err))
	}
	return nil
}

// helper creates a container of image with volume mounted at volumeAt that never runs
// anything of the image (its entrypoint does not exist), for the archive API: images
// without tar (MinIO, Prometheus, Mailpit) are copied like the rest. The caller removes it.
func (c *Client) helper(ctx context.Context, image, volume string, readOnly bool, labels map[string]string) (string, error) {
	cfg := &container.Config{Image: image, Labels: labels, Entrypoint: []string{"/devstack-never-runs"}}
	host := &container.HostConfig{NetworkMode: "none", Mounts: []mount.Mount{{
		Type: mount.TypeVolume, Source: volume, Target: volumeAt, ReadOnly: readOnly,
		VolumeOptions: &mount.VolumeOptions{NoCopy: true},
	}}}
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, "")
	if err != nil {
		return "", fmt.Errorf("volume %s: create a helper container of %s: %w", volume, image, c.wrap(err))
	}
	return resp.ID, nil
}

func (c *Client) removeHelper(ctx context.Context, id string) {
	// The image's own VOLUME paths got anonymous volumes: remove them with it.
	_ = c.api.ContainerRemove(context.WithoutCancel(ctx), id, container.RemoveOptions{Force: true, RemoveVolumes: true})
}

// ExportVolume calls read with the volume's whole content as a tar stream (entries under
// VolumeArchiveRoot/, owners and modes kept), read through a helper container that never
// starts, so nothing writes to the volume meanwhile.
func (c *Client) ExportVolume(ctx context.Context, image, volume string, labels map[string]string, read func(io.Reader) error) error {
	id, err := c.helper(ctx, image, volume, true, labels)
	if err != nil {
		return err
	}
	defer c.removeHelper(ctx, id)
	rc, _, err := c.api.CopyFromContainer(ctx, id, volumeAt)
	if err != nil {
		return fmt.Errorf("read volume %s: %w", volume, c.wrap(err))
	}
	defer rc.Close()
	return read(rc)
}

// ImportVolume writes a tar stream, its names relative to the volume's root ("./",
// "./PG_VERSION"), into a volume, keeping the owners and modes the archive gives: a
// server refuses a data directory that is not its own user's (PostgreSQL wants 0700 and
// its uid). The archive is extracted at the mount point itself: Podman 4 extracts an
// archive given at "/" into the never-started helper's own filesystem, past its volume.
func (c *Client) ImportVolume(ctx context.Context, image, volume string, labels map[string]string, r io.Reader) error {
	id, err := c.helper(ctx, image, volume, false, labels)
	if err != nil {
		return err
	}
	defer c.removeHelper(ctx, id)
	err = c.api.CopyToContainer(ctx, id, volumeAt, r, container.CopyToContainerOptions{CopyUIDGID: true})
	if err != nil {
		return fmt.Errorf("write volume %s: %w", volume, c.wrap(err))
	}
	return nil
}
