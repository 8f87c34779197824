// Package ports holds devstack's port plan, and says for each planned host port whether
// it is free on the bind address or who holds it.
package ports

import (
	"fmt"
	"net"
	"strconv"

	"github.com/devstack-dev/devstack/config"
)

// Port is one host port the stack will publish.
type Port struct {
	Service   string `json:"service"`
	Name      string `json:"name"`
	Container int    `json:"container_port"`
	Host      int    `json:"host_port"`
}

// Plan is every port the stack will publish, on one bind address.
type Plan struct {
	Project string `json:"-"` // the identity whose containers count as ours (config.Identity)
	Bind    string `json:"bind"`
	Offset  int    `json:"offset"`
	Ports   []Port `json:"ports"`
	// Remote checks the ports where a remote engine binds them; nil checks them here.
	Remote RemoteProbe `json:"-"`
}

// NewPlan builds the plan from the configuration: the catalog's default host ports (or
// the file's overrides), plus the offset, on the bind address.
func NewPlan(cfg *config.Config) (*Plan, error) {
	return planAt(cfg, cfg.Offset)
}

func planAt(cfg *config.Config, offset int) (*Plan, error) {
	p := &Plan{Project: cfg.StackIdentity().ID, Bind: cfg.Bind, Offset: offset}
	owner := map[int]Port{}
	for _, s := range cfg.Services {
		for _, sp := range s.Ports {
			host := sp.Host
			if o, ok := s.PortOverrides[sp.Name]; ok {
				host = o
			}
			host += offset
			port := Port{Service: s.Name, Name: sp.Name, Container: sp.Container, Host: host}
			if host > 65535 {
				return nil, &config.Error{File: cfg.File, Key: "offset",
					Msg: fmt.Sprintf("offset %d puts %s's %s port at %d, past 65535", offset, s.Name, sp.Name, host),
					Fix: "use a smaller offset"}
			}
			if prev, ok := owner[host]; ok {
				return nil, &config.Error{File: cfg.File, Key: "services",
					Msg: fmt.Sprintf("%s and %s are both planned on host port %d", prev.label(), port.label(), host),
					Fix: fmt.Sprintf("give one of them another port under services.%s.ports in %s", s.Name, config.FileName)}
			}
			owner[host] = port
			p.Ports = append(p.Ports, port)
		}
	}
	return p, nil
}

func (p Port) label() string {
	if p.Name == p.Service {
		return p.Service
	}
	return p.Service + " " + p.Name
}

// Address is the host address a port is published on, as net.Listen writes it.
func (p *Plan) Address(port Port) string {
	return net.JoinHostPort(p.Bind, strconv.Itoa(port.Host))
}
