package stack

import (
	"fmt"
	"net"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
)

// Unit is one planned service, resolved: its container spec and where it will answer.
type Unit struct {
	Service  *config.Service
	Spec     engine.ContainerSpec
	Endpoint services.Endpoint
	Timeout  time.Duration
}

// Name is the service's name.
func (u Unit) Name() string { return u.Service.Name }

// Names of the objects devstack makes for a project.
func ContainerName(project, service string) string { return project + "-" + service }
func VolumeName(project, service string) string    { return project + "-" + service + "-data" }
func NetworkName(project string) string            { return project + "-devstack" }

// Labels marks an object as the project's, and the service's when given.
func Labels(project, service string) map[string]string {
	l := map[string]string{engine.LabelProject: project}
	if service != "" {
		l[engine.LabelService] = service
	}
	return l
}

// Secrets is where generated credentials come from, and where they are kept.
type Secrets interface {
	Get(key string) string
	Save() error
}

// Units resolves every planned service (or only those named) into container specs.
func Units(cfg *config.Config, plan *ports.Plan, secrets Secrets, only []string) ([]Unit, error) {
	want := map[string]bool{}
	for _, name := range only {
		if _, ok := cfg.Service(name); !ok {
			return nil, &config.Error{File: cfg.File, Key: "services",
				Msg: fmt.Sprintf("service %q is not planned", name),
				Fix: fmt.Sprintf("name one of: %s; or add %s under services: in %s", plannedNames(cfg), name, config.FileName)}
		}
		want[name] = true
	}
	var units []Unit
	for i := range cfg.Services {
		svc := &cfg.Services[i]
		if len(want) > 0 && !want[svc.Name] {
			continue
		}
		units = append(units, unit(cfg, plan, svc, secrets))
	}
	return units, nil
}

func unit(cfg *config.Config, plan *ports.Plan, svc *config.Service, secrets Secrets) Unit {
	env := map[string]string{}
	if svc.Service.Env != nil {
		env = svc.Service.Env(services.Params{Project: cfg.Project, Secret: secrets.Get})
	}
	for k, v := range svc.Env {
		env[k] = v
	}
	spec := engine.ContainerSpec{
		Name:     ContainerName(cfg.Project, svc.Name),
		Image:    svc.Image,
		Hostname: svc.Name, // fixed: RabbitMQ keys its data on the node name
		Env:      env,
		Labels:   Labels(cfg.Project, svc.Name),
		Network:  NetworkName(cfg.Project),
		Alias:    svc.Name,
	}
	if svc.Cmd != nil {
		spec.Cmd = svc.Cmd(env)
	}
	if svc.Mount != "" {
		spec.Volume, spec.Mount = VolumeName(cfg.Project, svc.Name), svc.Mount
	}
	for _, u := range svc.Ulimits {
		spec.Ulimits = append(spec.Ulimits, engine.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	ep := services.Endpoint{Host: connectHost(plan.Bind), Ports: map[string]int{}, Env: env}
	for _, p := range plan.Ports {
		if p.Service == svc.Name {
			spec.Ports = append(spec.Ports, engine.PortBinding{HostIP: plan.Bind, HostPort: p.Host, ContainerPort: p.Container})
			ep.Ports[p.Name] = p.Host
		}
	}
	return Unit{Service: svc, Spec: spec, Endpoint: ep, Timeout: svc.Timeout}
}

// connectHost is where devstack itself connects: a wildcard bind is reached on loopback.
func connectHost(bind string) string {
	ip := net.ParseIP(bind)
	switch {
	case ip == nil:
		return bind
	case ip.IsUnspecified() && ip.To4() != nil:
		return "127.0.0.1"
	case ip.IsUnspecified():
		return "::1"
	}
	return bind
}

func plannedNames(cfg *config.Config) string {
	s := ""
	for i, svc := range cfg.Services {
		if i > 0 {
			s += ", "
		}
		s += svc.Name
	}
	return s
}
