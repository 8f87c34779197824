package stack

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/probe"
	"github.com/devstack-dev/devstack/services/engine"
)

// StatusServices is status on a service-level engine: each service's workload, probed
// once through a forward of its own. Ports are the planned ones on 127.0.0.1: where
// devstack forward listens (whether it runs is the caller's to say).
func StatusServices(ctx context.Context, se ServiceEngine, pl *plan.Plan) (*StatusReport, error) {
	r := &StatusReport{Project: pl.Project, OK: true, Services: make([]ServiceStatus, len(pl.Units))}
	errs := make([]error, len(pl.Units))
	var wg sync.WaitGroup
	for i, u := range pl.Units {
		wg.Go(func() { r.Services[i], errs[i] = serviceStatus(ctx, se, pl, u) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, s := range r.Services {
		if !s.Ready {
			r.OK = false
		}
	}
	return r, nil
}

func serviceStatus(ctx context.Context, se ServiceEngine, pl *plan.Plan, u plan.Unit) (ServiceStatus, error) {
	s := ServiceStatus{Name: u.Name(), Container: u.Spec.Name, Ports: []engine.PortBinding{}}
	st, err := se.Observe(ctx, u.Name())
	if err != nil {
		return s, err
	}
	s.Container, s.State = st.Where, st.State
	switch st.State {
	case Missing:
		s.Message = "not created: run devstack up"
		return s, nil
	case "running":
	default:
		s.Message = "not running"
		if st.Reason != "" {
			s.Message += ": " + st.Reason
		}
		return s, nil
	}
	s.Ports = namePorts(pl.Ports, u.Name(), planned(u))
	if st.Started > 0 {
		s.UptimeSeconds = int64(time.Since(time.Unix(st.Started, 0)).Seconds())
	}
	fwd, err := se.Forward(ctx, u.Name(), ephemeral(u))
	if err != nil {
		s.Message = "running, but no forward to probe it: " + err.Error()
		return s, nil
	}
	defer fwd.Close()
	pr, err := probe.Build(u.Probe)
	if err != nil {
		return s, err
	}
	at, _ := published(u, pl).at(fwd.Ports())
	pctx, cancel := context.WithTimeout(ctx, attemptAt)
	defer cancel()
	exec := func(ctx context.Context, cmd []string) (int, []byte, error) { return se.Exec(ctx, u.Name(), cmd) }
	if err := pr.Check(pctx, at.Target(exec)); err != nil {
		s.Message = "running, not answering: " + err.Error()
		return s, nil
	}
	s.Ready = true
	return s, nil
}

// DownServices is down on a service-level engine: every selected service's objects that
// carry the checkout's labels, and with volumes their data claims.
func DownServices(ctx context.Context, se ServiceEngine, pl *plan.Plan, volumes bool, only []string) (*DownReport, error) {
	units, err := pl.Select(only)
	if err != nil {
		return nil, err
	}
	r := &DownReport{Project: pl.Project, Services: only, Containers: []string{}, Volumes: []string{}, volumesAsked: volumes}
	var errs []error
	for _, u := range units {
		removed, err := se.Delete(ctx, u.Name(), volumes)
		for _, o := range removed {
			if len(o) > len("persistentvolumeclaim ") && o[:len("persistentvolumeclaim ")] == "persistentvolumeclaim " {
				r.Volumes = append(r.Volumes, o)
			} else {
				r.Containers = append(r.Containers, o)
			}
		}
		if err != nil {
			r.Left = append(r.Left, u.Name()+": "+err.Error())
			errs = append(errs, err)
		}
	}
	return r, errors.Join(errs...)
}

// ForwardServices keeps every planned service's ports forwarded at the placement until
// ctx ends, opening a forward again when it ends (its pod restarted). report hears each
// (re)opened forward, or why it could not be opened.
func ForwardServices(ctx context.Context, se ServiceEngine, pl *plan.Plan, report func(service string, ports []engine.PortBinding, err error)) {
	var wg sync.WaitGroup
	for _, u := range pl.Units {
		if len(u.Spec.Ports) == 0 {
			continue
		}
		wg.Go(func() {
			wait := time.Duration(0)
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
				fwd, err := se.Forward(ctx, u.Name(), planned(u))
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					report(u.Name(), nil, err)
					wait = 2 * time.Second
					continue
				}
				report(u.Name(), namePorts(pl.Ports, u.Name(), fwd.Ports()), nil)
				select {
				case <-ctx.Done():
					fwd.Close()
					return
				case <-fwd.Done():
				}
				wait = 500 * time.Millisecond
			}
		})
	}
	wg.Wait()
}
