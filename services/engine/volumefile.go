package engine

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// volumeAt is where ReadVolumeFile mounts the volume it reads: outside any image's own
// paths, so nothing of the image is copied into it.
const volumeAt = "/devstack-volume"

// maxVolumeFile bounds what ReadVolumeFile returns: it reads version stamps, not data.
const maxVolumeFile = 64 << 10

// ReadVolumeFile reads the first of files (paths inside the volume, in the order given)
// that exists in a named volume, and says which it was: a service may leave its version
// stamp in more than one place (PostgreSQL 18 moved it). The engine's archive API reads
// the mounts of a container that was created and never started, so nothing in image runs
// and nothing is written; the container, labelled like every object devstack makes, is
// removed at once, after every file is tried. None of them there is ErrNotFound.
func (c *Client) ReadVolumeFile(ctx context.Context, image, volume string, files []string, labels map[string]string) (string, []byte, error) {
	cfg := &container.Config{Image: image, Labels: labels, Entrypoint: []string{"/devstack-never-runs"}}
	host := &container.HostConfig{NetworkMode: "none", Mounts: []mount.Mount{{
		Type: mount.TypeVolume, Source: volume, Target: volumeAt, ReadOnly: true,
		VolumeOptions: &mount.VolumeOptions{NoCopy: true},
	}}}
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, "")
	if err != nil {
		return "", nil, fmt.Errorf("read %s from volume %s: create a reader container: %w", strings.Join(files, ", "), volume, c.wrap(err))
	}
	defer func() {
		// The image's own VOLUME paths got anonymous volumes: remove them with it.
		_ = c.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
	}()
	for _, file := range files {
		data, err := c.copyVolumeFile(ctx, resp.ID, volume, file)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		return file, data, err
	}
	return "", nil, fmt.Errorf("%s in volume %s: %w", strings.Join(files, ", "), volume, ErrNotFound)
}

// copyVolumeFile reads one regular file of the volume through the reader container.
func (c *Client) copyVolumeFile(ctx context.Context, id, volume, file string) ([]byte, error) {
	rc, _, err := c.api.CopyFromContainer(ctx, id, path.Join(volumeAt, file))
	if cerrdefs.IsNotFound(err) {
		return nil, fmt.Errorf("%s in volume %s: %w", file, volume, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s from volume %s: %w", file, volume, c.wrap(err))
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	hdr, err := tr.Next()
	if errors.Is(err, io.EOF) || err == nil && hdr.Typeflag != tar.TypeReg {
		return nil, fmt.Errorf("%s in volume %s is not a regular file: %w", file, volume, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s from volume %s: %w", file, volume, err)
	}
	data, err := io.ReadAll(io.LimitReader(tr, maxVolumeFile))
	if err != nil {
		return nil, fmt.Errorf("read %s from volume %s: %w", file, volume, err)
	}
	return data, nil
}
