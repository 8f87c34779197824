package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/go-units"
)

// PodmanUlimitsFix is what lets Podman start containers on a host that refuses to raise
// resource limits: Podman otherwise raises nofile and nproc in every container to its own
// defaults, beyond what such a host allows.
const PodmanUlimitsFix = "add `default_ulimits = []` under [containers] in /etc/containers/containers.conf " +
	"(rootless: ~/.config/containers/containers.conf), then restart Podman's API: " +
	"sudo systemctl restart podman.socket (rootless: systemctl --user restart podman.socket)"

// UlimitsError is a container the engine could not start because the OCI runtime may not
// set its resource limits. It is ErrUlimits, so that up can retry without the limits a
// spec asks for; on Podman the limits may be Podman's own defaults, which no retry drops.
type UlimitsError struct {
	Podman bool
	Err    error
}

func (e *UlimitsError) Error() string { return ErrUlimits.Error() + ": " + e.Err.Error() }
func (e *UlimitsError) Unwrap() []error {
	return []error{ErrUlimits, e.Err}
}

// Hint is Podman's own fix there, the engine's capabilities elsewhere.
func (e *UlimitsError) Hint() string {
	if e.Podman {
		return "Podman sets resource limits this host refuses (its default_ulimits): " + PodmanUlimitsFix
	}
	return "run the engine with CAP_SYS_RESOURCE, or raise the host's hard limits (ulimit -Hn, /etc/security/limits.conf) for the engine's service"
}

// asUlimits recognises the OCI runtime's refusal: runc says "error setting rlimit type 7:
// operation not permitted" under Docker and Podman alike, crun "setrlimit `RLIMIT_NOFILE`".
func (c *Client) asUlimits(ctx context.Context, err error) *UlimitsError {
	if !rlimitRefused(err) {
		return nil
	}
	return &UlimitsError{Podman: c.isPodman(ctx), Err: err}
}

func rlimitRefused(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "error setting rlimit") || strings.Contains(msg, "setrlimit `RLIMIT_")
}

// isPodman asks the engine its kind; only where Podman differs (an error's hint, a spec
// Podman must be asked differently), so most calls cost no more.
func (c *Client) isPodman(ctx context.Context) bool {
	v, err := c.api.ServerVersion(context.WithoutCancel(ctx))
	if err != nil {
		return false
	}
	return kindOf(system.Info{}, v) == KindPodman
}

// probeUlimits asks Podman whether it may set spec's ulimits, in a container from the
// same image that publishes no port and runs a command that does not exist: the runtime
// sets the limits before it looks for the command, so a refusal names the limits and any
// other failure means they were set. Podman 4.3 keeps the ports of a container on a
// network of its own bound in its API service when its start fails (until that process
// collects them), so the real container, started and refused, would leave up's retry
// without ulimits facing its own ports held.
func (c *Client) probeUlimits(ctx context.Context, spec ContainerSpec) error {
	cfg := &container.Config{Image: spec.Image, Entrypoint: []string{"/devstack-ulimits-probe-does-not-exist"},
		Labels: map[string]string{LabelProbe: "ulimits"}}
	host := &container.HostConfig{}
	for _, u := range spec.Ulimits {
		host.Ulimits = append(host.Ulimits, &units.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	resp, err := c.api.ContainerCreate(ctx, cfg, host, nil, nil, "devstack-ulimits-probe-"+hex.EncodeToString(suffix))
	if err != nil {
		return fmt.Errorf("check resource limits: %w", c.wrap(err))
	}
	defer func() {
		_ = c.api.ContainerRemove(context.WithoutCancel(ctx), resp.ID, container.RemoveOptions{Force: true})
	}()
	err = c.api.ContainerStart(ctx, resp.ID, container.StartOptions{})
	switch {
	case err == nil:
		return nil
	case rlimitRefused(err):
		return &UlimitsError{Podman: true, Err: err}
	case ctx.Err() != nil:
		return fmt.Errorf("check resource limits: %w", c.wrap(err))
	}
	return nil // the missing command: the limits were set first
}
