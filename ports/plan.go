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

// Plan is the placement of one command: every port the stack will publish, on one bind
// address at one offset, and where each of those came from. NewPlan builds it once from
// the resolved configuration; everything after reads it (At derives a moved copy).
type Plan struct {
	Project string `json:"-"` // the identity whose containers count as ours (config.Identity)
	Bind    string `json:"bind"`
	Offset  int    `json:"offset"`
	Ports   []Port `json:"ports"`
	// BindFrom and OffsetFrom say who chose them: a flag, the environment, the remembered
	// placement of the last up (or an auto-offset move), the file, or the default.
	BindFrom   config.Origin `json:"-"`
	OffsetFrom config.Origin `json:"-"`
	// Warning is set when the bind address opens the ports to the network, and says who chose it.
	Warning string `json:"-"`
	// Remote checks the ports where a remote engine binds them; nil checks them here.
	Remote RemoteProbe `json:"-"`

	cfg *config.Config // what At derives other offsets from; nil for a hand-made plan
}

// NewPlan builds the plan from the configuration: the catalog's default host ports (or
// the file's overrides), plus the offset, on the bind address.
func NewPlan(cfg *config.Config) (*Plan, error) {
	p, err := planAt(cfg, cfg.Offset)
	if err != nil {
		return nil, err
	}
	p.BindFrom, p.OffsetFrom, p.Warning = cfg.BindFrom, cfg.OffsetFrom, cfg.BindWarning()
	return p, nil
}

// At is the plan moved to another offset, with the same bind and probes; the offset's
// origin is the caller's to set.
func (p *Plan) At(offset int) (*Plan, error) {
	if p.cfg == nil {
		return nil, fmt.Errorf("a port plan made by hand cannot be moved")
	}
	moved, err := planAt(p.cfg, offset)
	if err != nil {
		return nil, err
	}
	moved.Project, moved.Bind, moved.Remote = p.Project, p.Bind, p.Remote
	moved.BindFrom, moved.OffsetFrom, moved.Warning = p.BindFrom, p.OffsetFrom, p.Warning
	return moved, nil
}

// MaxOffset is the largest offset at which every planned host port stays a port.
func (p *Plan) MaxOffset() int {
	if p.cfg == nil {
		return 0
	}
	return p.cfg.MaxOffset()
}

func planAt(cfg *config.Config, offset int) (*Plan, error) {
	p := &Plan{Project: cfg.StackIdentity().ID, Bind: cfg.Bind, Offset: offset, cfg: cfg}
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
