package stack

import (
	"net"
	"strings"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
)

// remoteEngine is an engine that can say where it runs and check ports there.
type remoteEngine interface {
	Endpoint() engine.Endpoint
	ports.RemoteProber
}

// remotePorts checks ports through the engine when it runs on another machine, where
// they bind; nil checks them here.
func remotePorts(eng Engine) ports.RemoteProbe {
	if r, ok := eng.(remoteEngine); ok && r.Endpoint().Remote() {
		return r.HeldPorts
	}
	return nil
}

// RemoteAccess says how to reach a remote engine's services from this machine: through
// an ssh tunnel to its loopback ports, or, when they are published on another of its
// addresses, at its own address (Host is then set).
type RemoteAccess struct {
	Host   string
	Tunnel string
}

// Reach decides how to reach the planned services on the engine at ep from here.
func Reach(pl *plan.Plan, ep engine.Endpoint) RemoteAccess {
	if ip := net.ParseIP(pl.Bind); ip != nil && !ip.IsLoopback() {
		dest, _ := ep.SSHDestination()
		_, host, _ := strings.Cut(dest, "@")
		if host == "" {
			host = dest
		}
		return RemoteAccess{Host: host}
	}
	hostPorts := make([]int, len(pl.Ports.Ports))
	for i, p := range pl.Ports.Ports {
		hostPorts[i] = p.Host
	}
	return RemoteAccess{Tunnel: ep.TunnelCommand(pl.Bind, hostPorts)}
}
