package stack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/probe"
	"github.com/devstack-dev/devstack/services/engine"
)

// SpecOf is the unit as a service-level engine receives it, its ports named as the
// plan names them.
func SpecOf(pl *plan.Plan, u plan.Unit) ServiceSpec {
	c := u.Spec
	c.Ports = namePorts(pl.Ports, u.Name(), c.Ports)
	return ServiceSpec{Service: u.Name(), Identity: pl.Identity, Container: c}
}

// UpServices is up on a service-level engine: each service applied, then waited on with
// its own protocol probe through a forward of its own to free local ports, closed when
// it answers. The planned ports stay free for devstack forward.
func UpServices(ctx context.Context, se ServiceEngine, pl *plan.Plan, secrets plan.Secrets, opts UpOptions) (*UpReport, error) {
	if opts.Progress == nil {
		opts.Progress = NoProgress{}
	}
	units, err := pl.Select(opts.Services)
	if err != nil {
		return nil, err
	}
	if err := secrets.Save(); err != nil {
		return nil, err
	}
	run := newUpRun(ctx, units, nil)
	began := time.Now()
	report := &UpReport{Project: pl.Project, Bind: pl.Bind, OK: true, Waited: !opts.NoWait, Services: make([]ServiceResult, len(units))}
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Go(func() {
			run.turn(ctx, u.Name())
			r := serviceUp(ctx, se, pl, u, opts, began, run)
			run.finished(u.Name())
			report.Services[i] = r
		})
	}
	wg.Wait()
	report.Warnings = append([]string{}, pl.Warnings...)
	var failure error
	for i, r := range report.Services {
		report.Services[i].Ports = namePorts(pl.Ports, r.Name, r.Ports)
		for _, w := range r.Warnings {
			report.Warnings = append(report.Warnings, r.Name+": "+w)
		}
		if r.err != nil || !r.Ready && !opts.NoWait {
			report.OK = false
		}
		if r.err != nil && failure == nil && !isServiceError(r.err) {
			failure = r.err
		}
	}
	return report, failure
}

func serviceUp(ctx context.Context, se ServiceEngine, pl *plan.Plan, u plan.Unit, opts UpOptions, began time.Time, run *upRun) (r ServiceResult) {
	r = ServiceResult{Name: u.Name(), Container: u.Spec.Name, Ports: planned(u)}
	defer func() {
		r.Seconds = time.Since(began).Seconds()
		switch {
		case errors.Is(r.err, context.Canceled):
			r.Interrupted, r.Error = true, "interrupted before it was ready; devstack up picks it up from here"
		case r.err != nil:
			r.Error = r.err.Error()
			var se *ServiceError
			if errors.As(r.err, &se) {
				r.Logs = se.Logs
			}
			if h, ok := r.err.(interface{ Hint() string }); ok {
				r.Fix = h.Hint()
			}
			opts.Progress.Service(u.Name(), "failed: "+r.err.Error())
		}
	}()
	opts.Progress.Service(u.Name(), "applying")
	r.Action, r.err = se.Apply(ctx, SpecOf(pl, u))
	run.started(u.Name())
	if r.err != nil || opts.NoWait {
		return r
	}
	timeout := u.Timeout
	if opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	opts.Progress.Service(u.Name(), "waiting until it answers")
	fwd, err := waitService(ctx, se, pl, u, timeout)
	if err != nil {
		r.err = err
		return r
	}
	defer fwd.Close()
	if u.Service.AfterReady != "" {
		at, _ := published(u, pl).at(fwd.Ports())
		if err := u.Service.RunAfterReady(ctx, at.Endpoint); err != nil {
			r.err = &ServiceError{Service: u.Name(), Reason: err.Error()}
			return r
		}
	}
	r.Ready = true
	opts.Progress.Service(u.Name(), fmt.Sprintf("ready in %.2fs", time.Since(began).Seconds()))
	return r
}

// planned are the unit's ports at the placement: where devstack forward listens.
func planned(u plan.Unit) []engine.PortBinding {
	out := make([]engine.PortBinding, 0, len(u.Spec.Ports))
	for _, p := range u.Spec.Ports {
		p.HostIP = "127.0.0.1"
		out = append(out, p)
	}
	return out
}

// ephemeral are the unit's ports on any free local port.
func ephemeral(u plan.Unit) []engine.PortBinding {
	out := make([]engine.PortBinding, 0, len(u.Spec.Ports))
	for _, p := range u.Spec.Ports {
		out = append(out, engine.PortBinding{HostIP: "127.0.0.1", ContainerPort: p.ContainerPort})
	}
	return out
}

// waitService polls until the service's probe answers through a forward, the workload
// fails, or the deadline passes. A forward that ends (the pod restarted) is opened again.
// It returns the forward the probe answered through, still open.
func waitService(ctx context.Context, se ServiceEngine, pl *plan.Plan, u plan.Unit, timeout time.Duration) (Forwarding, error) {
	st, err := probe.Build(u.Probe)
	if err != nil {
		return nil, err
	}
	exec := func(ctx context.Context, cmd []string) (int, []byte, error) { return se.Exec(ctx, u.Name(), cmd) }
	deadline := time.Now().Add(timeout)
	wait := pollFirst
	timer := time.NewTimer(0)
	defer timer.Stop()
	var fwd Forwarding
	closeFwd := func() {
		if fwd != nil {
			fwd.Close()
			fwd = nil
		}
	}
	firstRestarts := -1
	var last error
	var state ServiceState
	var observed time.Time
	for {
		select {
		case <-ctx.Done():
			closeFwd()
			return nil, ctx.Err()
		case <-timer.C:
		}
		// The probe is asked as fast as on Docker; the cluster's API less often: on a
		// small machine its server shares the CPU with the pods being waited on.
		if fwd == nil || time.Since(observed) >= observeEvery {
			var err error
			if state, err = se.Observe(ctx, u.Name()); err != nil {
				closeFwd()
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, err
			}
			observed = time.Now()
		}
		if firstRestarts < 0 && state.State != Missing {
			firstRestarts = state.Restarts
		}
		switch {
		case state.State == "failed":
			closeFwd()
			return nil, serviceFailure(ctx, se, u, state.Reason)
		case firstRestarts >= 0 && state.Restarts > firstRestarts && state.State != "running":
			closeFwd()
			return nil, serviceFailure(ctx, se, u, "container restarted while devstack waited on it")
		case state.State == "running":
			if fwd != nil {
				select {
				case <-fwd.Done():
					fwd = nil
				default:
				}
			}
			if fwd == nil {
				fwd, last = se.Forward(ctx, u.Name(), ephemeral(u))
			}
			if fwd != nil {
				at, _ := published(u, pl).at(fwd.Ports())
				actx, cancel := context.WithTimeout(ctx, min(attemptAt, time.Until(deadline)+10*time.Millisecond))
				last = st.Check(actx, at.Target(exec))
				cancel()
				if last == nil {
					return fwd, nil
				}
				if errors.Is(last, probe.ErrAuth) {
					closeFwd()
					return nil, &AuthError{ServiceError: &ServiceError{Service: u.Name(), Reason: last.Error(), Logs: serviceLogs(ctx, se, u)}}
				}
			}
		default:
			if state.Reason != "" {
				last = errors.New(state.Reason)
			}
		}
		if ctx.Err() != nil {
			closeFwd()
			return nil, ctx.Err()
		}
		if time.Now().After(deadline) {
			closeFwd()
			return nil, serviceFailure(ctx, se, u, fmt.Sprintf("not ready after %s (%s %s; last probe: %v)", timeout, state.Where, state.State, last))
		}
		// Each probe through a forward is a stream through the API server and the kubelet
		// into the pod: asked at Docker's pace, five services' probes took the CPU the
		// starting servers needed on a small machine.
		next := max(wait, forwardPoll)
		if fwd == nil {
			next = max(wait, observeEvery/2) // nothing to probe yet: only the API to ask
		}
		timer.Reset(min(next, time.Until(deadline)))
		wait = nextPoll(wait)
	}
}

// observeEvery is how often up asks a service-level engine for the workload's state while
// the probe runs.
const (
	observeEvery = 500 * time.Millisecond
	forwardPoll  = 250 * time.Millisecond
)

func serviceFailure(ctx context.Context, se ServiceEngine, u plan.Unit, reason string) error {
	return &ServiceError{Service: u.Name(), Reason: reason, Logs: serviceLogs(ctx, se, u)}
}

func serviceLogs(ctx context.Context, se ServiceEngine, u plan.Unit) []string {
	var buf bytes.Buffer
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := se.Logs(lctx, u.Name(), fmt.Sprint(logLines), false, &buf, &buf); err != nil {
		return []string{"(logs unavailable: " + err.Error() + ")"}
	}
	text := strings.TrimRight(buf.String(), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
