package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/go-connections/nat"
)

// LabelProbe marks the short-lived containers that check ports on a remote engine's host,
// so that one left behind by a killed devstack is recognisable.
const LabelProbe = "dev.devstack.port-probe"

// HeldPorts says which ports are held on bind on the engine's own host, by asking the
// engine to publish them: a port free on this machine proves nothing about another.
// A container that publishes them all, from any image the engine has, is started with a
// command that does not exist: the engine allocates the ports before it runs anything,
// so a start that fails for the command means every port was free, and a port conflict
// names one held port, which is dropped before the next try. An engine with no image at
// all cannot be asked; the ports count as free, and up's start reports a conflict.
//
// Podman 4.3's API service keeps the ports of a container whose start failed bound in
// its own process until it restarts, so on Podman nothing is probed: the ports count as
// free, and up's start reports a conflict.
func (c *Client) HeldPorts(ctx context.Context, bind string, ports []int) (map[int]bool, error) {
	held := map[int]bool{}
	if c.isPodman(ctx) {
		return held, nil
	}
	imgs, err := c.api.ImageList(ctx, image.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("check ports on the engine's host: %w", c.wrap(err))
	}
	if len(imgs) == 0 {
		return held, nil
	}
	left := append([]int(nil), ports...)
	for len(left) > 0 {
		port, err := c.firstHeld(ctx, imgs[0].ID, bind, left)
		if err != nil {
			return nil, err
		}
		if port == 0 {
			return held, nil
		}
		held[port] = true
		left = without(left, port)
	}
	return held, nil
}

// firstHeld publishes the ports in one container and returns the one the engine says is
// held, or 0.
func (c *Client) firstHeld(ctx context.Context, img, bind string, ports []int) (int, error) {
	cfg := &container.Config{Image: img, Entrypoint: []string{"/devstack-port-probe-does-not-exist"},
		Labels: map[string]string{LabelProbe: "1"}, ExposedPorts: nat.PortSet{}}
	host := &container.HostConfig{PortBindings: nat.PortMap{}}
	for i, p := range ports {
		// Container ports are arbitrary and distinct: only the host side is being asked.
		cp := nat.Port(strconv.Itoa(10000+i) + "/tcp")
		cfg.ExposedPorts[cp] = struct{}{}
		host.PortBindings[cp] = []nat.PortBinding{{HostIP: bind, HostPort: strconv.Itoa(p)}}
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, "devstack-port-probe-"+hex.EncodeToString(suffix))
	if err != nil {
		return 0, fmt.Errorf("check ports on the engine's host: %w", c.wrap(err))
	}
	defer func() {
		_ = c.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true})
	}()
	err = c.api.ContainerStart(ctx, resp.ID, container.StartOptions{})
	if err == nil {
		return 0, nil // the image had such a command after all: the ports were bound
	}
	if pc := asPortConflict(err); pc != nil {
		for _, p := range ports {
			if p == pc.Port {
				return p, nil
			}
		}
		return 0, fmt.Errorf("check ports on the engine's host: %w", err)
	}
	var ue *UnreachableError
	if ctx.Err() != nil || errors.As(c.wrap(err), &ue) {
		return 0, fmt.Errorf("check ports on the engine's host: %w", c.wrap(err))
	}
	return 0, nil // the missing command: every port was bound first
}

func without(ports []int, p int) []int {
	out := ports[:0:0]
	for _, q := range ports {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}
