package stack

import (
	"net"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services"
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

// SettingsAt is Settings for services reached at host: a remote engine's address, when
// its services are published on a non-loopback address there.
func SettingsAt(cfg *config.Config, secrets Secrets, host string) ([]services.Setting, error) {
	plan, err := ports.NewPlan(cfg)
	if err != nil {
		return nil, err
	}
	units, err := Units(cfg, plan, secrets, nil)
	if err != nil {
		return nil, err
	}
	var out []services.Setting
	for _, u := range units {
		if u.Service.Connection != nil {
			u.Endpoint.Host = host
			out = append(out, u.Service.Connection(u.Endpoint)...)
		}
	}
	return out, nil
}

// RemoteAccess says how to reach a remote engine's services from this machine: through
// an ssh tunnel to its loopback ports, or, when they are published on another of its
// addresses, at its own address (Host is then set).
type RemoteAccess struct {
	Host   string
	Tunnel string
}

// Reach decides how to reach the services of cfg on the engine at ep from here.
func Reach(cfg *config.Config, ep engine.Endpoint) (RemoteAccess, error) {
	if ip := net.ParseIP(cfg.Bind); ip != nil && !ip.IsLoopback() {
		dest, _ := ep.SSHDestination()
		_, host, _ := strings.Cut(dest, "@")
		if host == "" {
			host = dest
		}
		return RemoteAccess{Host: host}, nil
	}
	plan, err := ports.NewPlan(cfg)
	if err != nil {
		return RemoteAccess{}, err
	}
	hostPorts := make([]int, len(plan.Ports))
	for i, p := range plan.Ports {
		hostPorts[i] = p.Host
	}
	return RemoteAccess{Tunnel: ep.TunnelCommand(cfg.Bind, hostPorts)}, nil
}
