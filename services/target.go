package services

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Target is a service's Endpoint as a probe sees it.
type Target struct {
	Endpoint
	First string // the service's first port's name: what a probe without a port checks
	// Run runs a command in the service's container: the engine's exec in stack.
	Run func(ctx context.Context, cmd []string) (int, []byte, error)
}

// NewTarget is s's probe target at ep.
func NewTarget(s *Service, ep Endpoint, exec func(ctx context.Context, cmd []string) (int, []byte, error)) Target {
	t := Target{Endpoint: ep, Run: exec}
	if len(s.Ports) > 0 {
		t.First = s.Ports[0].Name
	}
	return t
}

func (t Target) Host() string { return t.Endpoint.Host }

func (t Target) Port(name string) (int, error) {
	if name == "" {
		name = t.First
	}
	if p, ok := t.Ports[name]; ok {
		return p, nil
	}
	known := make([]string, 0, len(t.Ports))
	for n := range t.Ports {
		known = append(known, n)
	}
	sort.Strings(known)
	return 0, fmt.Errorf("no published port named %q (ports: %s)", name, strings.Join(known, ", "))
}

func (t Target) Env(key string) string { return t.Endpoint.Env[key] }

// errNoExec is a probe run where no container can be reached, such as a test's.
var errNoExec = errors.New("no container to run the probe in")

func (t Target) Exec(ctx context.Context, cmd []string) (int, []byte, error) {
	if t.Run == nil {
		return 0, nil, errNoExec
	}
	return t.Run(ctx, cmd)
}
