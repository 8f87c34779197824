// Package services holds the catalog of backing services devstack can run: for each, its
// default image, ports, environment and readiness. One file per service registers it.
package services

import (
	"fmt"
	"sort"
	"strings"
)

// Port is one port a service publishes.
type Port struct {
	Name      string // stable key used in config and JSON: "http", "amqp"…
	Container int    // port inside the container
	Host      int    // default host port, before any offset
}

// Service is one catalog entry.
type Service struct {
	Name     string
	Order    int  // position in every listing, so output is stable
	Optional bool // started only when devstack.yaml lists it
	Image    string
	Ports    []Port
}

// Port returns the named port, or false.
func (s *Service) Port(name string) (Port, bool) {
	for _, p := range s.Ports {
		if p.Name == name {
			return p, true
		}
	}
	return Port{}, false
}

// PortNames lists the names of the service's ports, for messages.
func (s *Service) PortNames() []string {
	names := make([]string, len(s.Ports))
	for i, p := range s.Ports {
		names[i] = p.Name
	}
	return names
}

// ImageEnv is the environment variable that overrides the service's image.
func (s *Service) ImageEnv() string {
	return "DEVSTACK_IMAGE_" + strings.ToUpper(strings.ReplaceAll(s.Name, "-", "_"))
}

var catalog []*Service

// register is called once per service file, at package initialisation; it only appends.
func register(s *Service) *Service {
	catalog = append(catalog, s)
	return s
}

// All returns every service in the catalog, in display order.
func All() []*Service {
	out := append([]*Service(nil), catalog...)
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// Lookup finds a service by name.
func Lookup(name string) (*Service, error) {
	for _, s := range catalog {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unknown service %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists every service name in display order.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Defaults lists the services started when devstack.yaml does not choose.
func Defaults() []*Service {
	var out []*Service
	for _, s := range All() {
		if !s.Optional {
			out = append(out, s)
		}
	}
	return out
}
