package stack

import (
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
)

// namePorts gives each published port of a service the plan's name for it, so that a
// report says which port is the management UI and which the protocol.
func namePorts(plan *ports.Plan, service string, bs []engine.PortBinding) []engine.PortBinding {
	out := make([]engine.PortBinding, len(bs))
	for i, b := range bs {
		out[i] = b
		for _, p := range plan.Ports {
			if p.Service == service && p.Container == b.ContainerPort {
				out[i].Name = p.Name
			}
		}
	}
	return out
}
