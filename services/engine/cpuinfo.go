package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// LabelCPUProbe marks the short-lived containers that read a remote engine host's
// /proc/cpuinfo, so that one left behind by a killed devstack is recognisable.
const LabelCPUProbe = "dev.devstack.cpu-probe"

// Test-only seams, set by the devstacktest build tag (cpuinfo_seam.go) and nowhere else:
// which file stands for this machine's cpuinfo, and whether to read through a container
// even on a local engine.
var (
	localCPUInfo    = "/proc/cpuinfo"
	cpuViaContainer = false
)

// maxCPUInfo bounds what the container's output may be: a large machine's cpuinfo is
// some hundred kilobytes.
const maxCPUInfo = 1 << 20

// HostCPUInfo reads /proc/cpuinfo of the machine the engine runs containers on, and
// says how. The Engine API does not report CPU flags, so: a Docker Engine or Podman on
// this Linux machine shares its CPU, and this machine's file is read; any other engine
// (tcp:// or ssh:// to another machine, or one in a VM: Docker Desktop, Colima,
// OrbStack, Rancher Desktop) runs a short container of image, which must be at hand,
// with `cat /proc/cpuinfo` as its entrypoint. A container sees the host kernel's
// cpuinfo; an image of another architecture runs under the engine's emulator, so what
// it reads is what the service would get.
func (c *Client) HostCPUInfo(ctx context.Context, image string) ([]byte, string, error) {
	if !cpuViaContainer && c.sharesThisCPU(ctx) {
		data, err := os.ReadFile(localCPUInfo)
		if err != nil {
			return nil, "", fmt.Errorf("read this machine's CPU description: %w", err)
		}
		return data, "this machine's " + localCPUInfo, nil
	}
	data, err := c.catCPUInfo(ctx, image)
	if err != nil {
		return nil, "", err
	}
	return data, "/proc/cpuinfo read by a container of " + image + " on the engine's host", nil
}

// sharesThisCPU says whether the engine's containers run on this machine's CPU.
func (c *Client) sharesThisCPU(ctx context.Context) bool {
	if runtime.GOOS != "linux" || c.endpoint.Remote() {
		return false
	}
	info, err := c.api.Info(ctx)
	if err != nil {
		return false
	}
	k := c.kind(ctx, info)
	return k == KindDocker || k == KindPodman
}

// catCPUInfo runs `cat /proc/cpuinfo` in a container of image, with no network, and
// removes it.
func (c *Client) catCPUInfo(ctx context.Context, image string) ([]byte, error) {
	cfg := &container.Config{Image: image, Entrypoint: []string{"cat", "/proc/cpuinfo"}, Cmd: []string{},
		Labels: map[string]string{LabelCPUProbe: "1"}}
	host := &container.HostConfig{NetworkMode: "none"}
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, "")
	if err != nil {
		return nil, fmt.Errorf("read the CPU of the engine's host: create a container of %s: %w", image, c.wrap(err))
	}
	defer func() {
		_ = c.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
	}()
	waitC, errC := c.api.ContainerWait(ctx, resp.ID, container.WaitConditionNextExit)
	if err := c.api.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return nil, fmt.Errorf("read the CPU of the engine's host: start a container of %s: %w", image, c.wrap(err))
	}
	select {
	case w := <-waitC:
		if w.StatusCode != 0 {
			return nil, fmt.Errorf("read the CPU of the engine's host: `cat /proc/cpuinfo` in %s exited with status %d", image, w.StatusCode)
		}
	case err := <-errC:
		return nil, fmt.Errorf("read the CPU of the engine's host: %w", c.wrap(err))
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	logs, err := c.api.ContainerLogs(ctx, resp.ID, container.LogsOptions{ShowStdout: true})
	if err != nil {
		return nil, fmt.Errorf("read the CPU of the engine's host: %w", c.wrap(err))
	}
	defer logs.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, io.Discard, io.LimitReader(logs, maxCPUInfo)); err != nil {
		return nil, fmt.Errorf("read the CPU of the engine's host: %w", err)
	}
	return out.Bytes(), nil
}
