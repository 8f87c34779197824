package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// ServiceStatus is one service as it is now.
type ServiceStatus struct {
	Name          string               `json:"name"`
	Container     string               `json:"container"`
	State         string               `json:"state"` // running, exited, …, or missing
	Ready         bool                 `json:"ready"`
	Ports         []engine.PortBinding `json:"ports"`
	UptimeSeconds int64                `json:"uptime_seconds"`
	ExitCode      *int                 `json:"exit_code,omitempty"` // of an exited container
	Message       string               `json:"message,omitempty"`
	// Changed names what differs from the plan (image, cmd, ports, "env KEY", …; never a
	// value) when the container was made from another spec.
	Changed []string `json:"changed,omitempty"`
}

// StatusReport is every planned service as it is now.
type StatusReport struct {
	Project  string          `json:"project"`
	OK       bool            `json:"ok"` // every planned service runs and answers
	Services []ServiceStatus `json:"services"`
	Engine   *engine.Ref     `json:"engine,omitempty"` // which engine runs them, and how it was found
}

// Missing is the state of a planned service with no container.
const Missing = "missing"

// Status inspects every planned service and probes the running ones once.
func Status(ctx context.Context, eng Engine, pl *plan.Plan) (*StatusReport, error) {
	units := pl.Units
	// The mount, and so the spec's hash, follows the image's major, as up decided it.
	images := map[string]*engine.Image{}
	for _, u := range units {
		if img, err := eng.Image(ctx, u.Spec.Image); err == nil {
			images[u.Spec.Image] = img
		}
	}
	applyMounts(units, images)
	r := &StatusReport{Project: pl.Project, OK: true, Services: make([]ServiceStatus, len(units))}
	errs := make([]error, len(units))
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Go(func() { r.Services[i], errs[i] = statusOf(ctx, eng, pl.Identity.ID, published(u, pl)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // one is enough: they share a cause, usually the engine
		}
	}
	for i, s := range r.Services {
		r.OK = r.OK && s.Ready
		r.Services[i].Ports = namePorts(pl.Ports, s.Name, s.Ports)
	}
	return r, nil
}

func statusOf(ctx context.Context, eng Engine, project string, pu publishedUnit) (ServiceStatus, error) {
	u := pu.Unit
	s := ServiceStatus{Name: u.Name(), Container: u.Spec.Name, Ports: []engine.PortBinding{}}
	c, err := eng.Inspect(ctx, u.Spec.Name)
	if errors.Is(err, engine.ErrNotFound) {
		s.State, s.Message = Missing, "not created: run devstack up"
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if c.Labels[engine.LabelProject] != project {
		s.State, s.Message = "foreign", "a container devstack did not make has this name"
		return s, nil
	}
	s.State = c.State
	if c.Ports != nil {
		s.Ports = c.Ports
	}
	if c.State == "exited" || c.State == "dead" {
		code := c.ExitCode
		s.ExitCode = &code
	}
	if c.State != "running" {
		s.Message = "not running: run devstack up"
		return s, nil
	}
	// Probe where the container really publishes: the plan's ports may be another
	// project's, whose services would answer for this one's.
	var moved []string
	u, moved = pu.at(c.Ports)
	s.UptimeSeconds = int64(time.Since(c.StartedAt).Seconds())
	if c.Labels[engine.LabelSpec] != u.Spec.Hash() {
		s.Changed = engine.ChangedFields(c.Labels[engine.LabelFields], u.Spec)
		s.Message = "its configuration changed: devstack up re-creates it"
		if len(s.Changed) > 0 {
			s.Message = "its configuration changed (" + strings.Join(s.Changed, ", ") + "): devstack up re-creates it"
		}
	}
	if err := probeOnce(ctx, eng, u, c.ID); err != nil {
		s.Message = "not answering: " + err.Error()
		return s, nil
	}
	s.Ready = true
	if len(moved) > 0 {
		s.Message = "published on " + strings.Join(moved, ", ") + ": it was brought up with another offset or bind; devstack up moves it to the plan"
	}
	return s, nil
}

// publishedUnit is a planned service with the names of its ports, so that its endpoint
// can follow where its container really publishes them.
type publishedUnit struct {
	plan.Unit
	names map[int]string // container port → the port's name
}

func published(u plan.Unit, pl *plan.Plan) publishedUnit {
	pu := publishedUnit{Unit: u, names: map[int]string{}}
	for _, p := range pl.Ports.Ports {
		if p.Service == u.Name() {
			pu.names[p.Container] = p.Name
		}
	}
	return pu
}

// at is the unit with its endpoint on the host ports the container publishes, and the
// ports that differ from the plan, described.
func (pu publishedUnit) at(have []engine.PortBinding) (plan.Unit, []string) {
	u := pu.Unit
	var moved []string
	ports := map[string]int{}
	for k, v := range u.Endpoint.Ports {
		ports[k] = v
	}
	for _, b := range have {
		name, ok := pu.names[b.ContainerPort]
		if !ok || ports[name] == b.HostPort {
			continue
		}
		moved = append(moved, fmt.Sprintf("%d, not the planned %d", b.HostPort, ports[name]))
		ports[name] = b.HostPort
	}
	u.Endpoint.Ports = ports
	return u, moved
}

// Described is an engine that can say which engine it is and how it was found
// (*engine.Client).
type Described interface {
	Info(ctx context.Context) (engine.Info, error)
}

// StatusOn is Status with the engine that runs the services named in the report, when
// it says.
func StatusOn(ctx context.Context, eng interface {
	Engine
	Described
}, pl *plan.Plan) (*StatusReport, error) {
	r, err := Status(ctx, eng, pl)
	if err != nil {
		return nil, err
	}
	if info, err := eng.Info(ctx); err == nil {
		ref := info.Ref()
		r.Engine = &ref
	}
	return r, nil
}
