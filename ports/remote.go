package ports

import (
	"context"
	"net"
)

// RemoteProbe says which of the ports are held on the bind address of the machine a
// remote engine runs on. A port free here proves nothing there, and the holder there is
// out of this machine's sight.
type RemoteProbe func(ctx context.Context, bind string, ports []int) (held map[int]bool, err error)

// remoteHeld asks the remote probe, when the plan has one, about every port at once.
func (p *Plan) remoteHeld(ctx context.Context, ports []Port) (map[int]bool, error) {
	if p.Remote == nil {
		return nil, nil
	}
	hosts := make([]int, len(ports))
	for i, port := range ports {
		hosts[i] = port.Host
	}
	return p.Remote(ctx, p.Bind, hosts)
}

// holders names who holds each held port: this machine's processes, or, for a remote
// engine, nobody devstack can see.
func (p *Plan) holders(held []int) map[int]*Holder {
	if p.Remote == nil {
		return findHolders(net.ParseIP(p.Bind), held)
	}
	out := map[int]*Holder{}
	for _, port := range held {
		out[port] = &Holder{Unknown: "held on the engine's host, where devstack cannot see processes"}
	}
	return out
}

// RemoteProber is what can check ports on a remote engine's host (*engine.Client).
type RemoteProber interface {
	HeldPorts(ctx context.Context, bind string, ports []int) (map[int]bool, error)
}
