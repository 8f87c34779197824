package engine

import (
	"context"
	"strings"

	"github.com/docker/docker/api/types/system"
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

// isPodman asks the engine its kind; only on the error path, so a start costs no more.
func (c *Client) isPodman(ctx context.Context) bool {
	v, err := c.api.ServerVersion(context.WithoutCancel(ctx))
	if err != nil {
		return false
	}
	return kindOf(system.Info{}, v) == KindPodman
}
