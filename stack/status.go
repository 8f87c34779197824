package stack

import (
	"context"
	"errors"
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
		wg.Go(func() { r.Services[i], errs[i] = statusOf(ctx, eng, pl.Project, u) })
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

func statusOf(ctx context.Context, eng Engine, project string, u plan.Unit) (ServiceStatus, error) {
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
	s.State, s.Ports = c.State, c.Ports
	if c.State != "running" {
		s.Message = "not running: run devstack up"
		return s, nil
	}
	s.UptimeSeconds = int64(time.Since(c.StartedAt).Seconds())
	if c.Labels[engine.LabelSpec] != u.Spec.Hash() {
		s.Changed = engine.ChangedFields(c.Labels[engine.LabelFields], u.Spec)
		s.Message = "its configuration changed: devstack up re-creates it"
		if len(s.Changed) > 0 {
			s.Message = "its configuration changed (" + strings.Join(s.Changed, ", ") + "): devstack up re-creates it"
		}
	}
	pctx, cancel := context.WithTimeout(ctx, attemptAt)
	defer cancel()
	if err := u.Probe.Check(pctx, u.Target(execIn(eng, c.ID))); err != nil {
		s.Message = "not answering: " + err.Error()
		return s, nil
	}
	s.Ready = true
	return s, nil
}
