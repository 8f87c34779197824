package stack

import (
	"context"
	"fmt"
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
// they bind; nil checks them here. It is devstack's one remote-ports probe.
func remotePorts(eng Engine) ports.RemoteProbe {
	if r, ok := eng.(remoteEngine); ok && r.Endpoint().Remote() {
		return r.HeldPorts
	}
	return nil
}

// PortProbes are how a port check reaches the engine: which ports devstack's containers
// publish (so a port is named as this project's own, or another's), and, for an engine
// on another machine, which ports are held there.
type PortProbes struct {
	Owned  ports.Owned
	Remote ports.RemoteProbe
}

// ProbesOf asks eng.
func ProbesOf(eng Engine) PortProbes {
	return PortProbes{Owned: eng.PublishedPorts, Remote: remotePorts(eng)}
}

// ProbesWithout stands for an engine that could not be reached (err says why): no port
// is known to be devstack's, and when the engine is remote its ports cannot be checked.
func ProbesWithout(err error, remote bool) PortProbes {
	p := PortProbes{Owned: func(context.Context) (map[int]ports.Owner, error) { return nil, err }}
	if remote {
		p.Remote = func(context.Context, string, []int) (map[int]bool, error) { return nil, err }
	}
	return p
}

// ProbesConnecting reaches the engine only when a check needs it (a port is held, or the
// engine is remote): connect then, and release after. A command that needs no engine
// otherwise (doctor) never waits on one that does not answer for a free port.
func ProbesConnecting(connect func(ctx context.Context) (Engine, func(), error), remote bool) PortProbes {
	p := PortProbes{Owned: func(ctx context.Context) (map[int]ports.Owner, error) {
		eng, release, err := connect(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		return eng.PublishedPorts(ctx)
	}}
	if remote {
		p.Remote = func(ctx context.Context, bind string, hostPorts []int) (map[int]bool, error) {
			eng, release, err := connect(ctx)
			if err != nil {
				return nil, err
			}
			defer release()
			rp, ok := eng.(ports.RemoteProber)
			if !ok {
				return nil, fmt.Errorf("this engine cannot check ports on its own host")
			}
			return rp.HeldPorts(ctx, bind, hostPorts)
		}
	}
	return p
}

// SurveyPorts checks the placement's ports through probes, and when asked finds an
// offset that frees them all. The placement is not changed.
func SurveyPorts(ctx context.Context, placed *ports.Plan, probes PortProbes, suggest bool) (*ports.Report, error) {
	pp := *placed
	pp.Remote = probes.Remote
	return ports.Survey(ctx, &pp, probes.Owned, suggest)
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
