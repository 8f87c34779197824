package engine

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/system"
)

// Kinds of engine devstack tells apart. They all speak the Docker Engine API; they differ
// in what they can do (Podman's ulimits, Docker Desktop's VM) and in how to fix them.
const (
	KindDocker        = "Docker Engine"
	KindPodman        = "Podman"
	KindDockerDesktop = "Docker Desktop"
	KindColima        = "Colima"
	KindOrbStack      = "OrbStack"
	KindRancher       = "Rancher Desktop"
)

// kindOf tells the engine's kind from what it says about itself: Podman lists itself
// among /version's components ("Podman Engine"); Docker Desktop and OrbStack name
// themselves as the operating system; Colima and Rancher Desktop run dockerd in a Lima VM
// whose host name carries their name.
func kindOf(info system.Info, v types.Version) string {
	for _, c := range v.Components {
		if strings.HasPrefix(c.Name, "Podman") {
			return KindPodman
		}
	}
	osName := strings.ToLower(info.OperatingSystem)
	name := strings.ToLower(info.Name)
	switch {
	case strings.Contains(osName, "docker desktop"):
		return KindDockerDesktop
	case strings.Contains(osName, "orbstack") || name == "orbstack":
		return KindOrbStack
	case strings.Contains(osName, "rancher desktop") || strings.Contains(name, "rancher-desktop"):
		return KindRancher
	case name == "colima" || strings.HasPrefix(name, "colima-") || strings.HasPrefix(name, "lima-colima"):
		return KindColima
	}
	return KindDocker
}

// kind asks /version only for what /info cannot tell (Podman's components); an engine
// that does not answer it is taken for what /info says.
func (c *Client) kind(ctx context.Context, info system.Info) string {
	v, err := c.api.ServerVersion(ctx)
	if err != nil {
		v = types.Version{}
	}
	return kindOf(info, v)
}

// Endpoint is the engine address in use and how it was found.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// Ref is which engine devstack talks to, as doctor and status report it.
type Ref struct {
	Host    string `json:"host"`
	Kind    string `json:"kind"`
	FoundBy string `json:"found_by"`
	Version string `json:"version"`
	Remote  bool   `json:"remote,omitempty"`
}

// Ref is the engine's identity, from its Info.
func (i Info) Ref() Ref {
	return Ref{Host: i.Host, Kind: i.Kind, FoundBy: i.FoundBy, Version: i.ServerVersion, Remote: i.Remote}
}

func (r Ref) String() string {
	s := fmt.Sprintf("%s %s at %s (%s)", r.Kind, r.Version, r.Host, r.FoundBy)
	if r.Remote {
		s += ", on another machine"
	}
	return s
}

// listsEveryPort says whether the engine's container list shows every published port;
// Podman's collapses consecutive ones.
func (c *Client) listsEveryPort(ctx context.Context) bool {
	return !c.isPodman(ctx)
}

// dockerState is a container state in the Docker API's words: Podman's compatible API
// says "stopped" for a container whose process has exited (and "configured" for one
// created but never started).
func dockerState(s string) string {
	switch s {
	case "stopped":
		return "exited"
	case "configured":
		return "created"
	}
	return s
}

const ipv4Any = "0.0.0.0"

// hostIPFor is how a port published on ip is asked of the engine. Podman's API passes
// 0.0.0.0 on to netavark as is, and netavark before 1.6 (Podman 4.3's, Debian 12's)
// forwards only packets addressed to 0.0.0.0 itself, that is none: conmon binds the port
// but nothing reaches the container. No host address means every address to Podman, and
// its own CLI asks that for 0.0.0.0; Docker keeps 0.0.0.0, which (unlike no address)
// leaves IPv6 closed.
func hostIPFor(ip string, podman bool) string {
	if podman && ip == ipv4Any {
		return ""
	}
	return ip
}

func publishesOnEvery(ports []PortBinding) bool {
	for _, p := range ports {
		if p.HostIP == ipv4Any {
			return true
		}
	}
	return false
}

func publishesIPv6(ports []PortBinding) bool {
	for _, p := range ports {
		if ip := net.ParseIP(p.HostIP); ip != nil && ip.To4() == nil {
			return true
		}
	}
	return false
}

// IPv6OnPodmanError: Podman forwards an IPv6 host address only to a container on an IPv6
// network, and the project's network is IPv4, so the port would answer nothing and up
// would wait out its timeout. Refused before anything is made.
type IPv6OnPodmanError struct{ Container string }

func (e *IPv6OnPodmanError) Error() string {
	return fmt.Sprintf("create container %s: Podman cannot publish its ports on an IPv6 address to the project's IPv4 network", e.Container)
}

// Hint is the bind that works on Podman.
func (e *IPv6OnPodmanError) Hint() string {
	return "use --bind 127.0.0.1 (the default) with Podman"
}
