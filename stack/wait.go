package stack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/probe"
	// The drivers (fixture loaders, MinIO's bucket step) register themselves by kind.
	_ "github.com/devstack-dev/devstack/services/drivers"
	"github.com/devstack-dev/devstack/services/engine"
)

// Polling starts fast, so readiness is noticed within tens of milliseconds, and backs
// off, but only to 100 ms: a slow service is still asked at most ten times a second (one
// cheap request each), and its readiness is noticed within 100 ms rather than 250.
const (
	pollFirst = 20 * time.Millisecond
	pollMax   = 100 * time.Millisecond
	attemptAt = 2 * time.Second // the most one probe attempt may take
	logLines  = 20
)

// ServiceError is a service that did not become ready, with the engine's word on its
// container and its last log lines.
type ServiceError struct {
	Service string
	Reason  string
	Logs    []string
}

func (e *ServiceError) Error() string { return e.Service + ": " + e.Reason }

// Hint points at the whole log.
func (e *ServiceError) Hint() string {
	return fmt.Sprintf("read its log: devstack logs %s; fix the cause, then run devstack up again", e.Service)
}

// probeOnce is one readiness attempt on the running container id, as status and down
// make it: at most attemptAt.
func probeOnce(ctx context.Context, eng Engine, u plan.Unit, id string) error {
	ctx, cancel := context.WithTimeout(ctx, attemptAt)
	defer cancel()
	st, err := probe.Build(u.Probe)
	if err != nil {
		return err
	}
	return st.Check(ctx, u.Target(execIn(eng, id)))
}

// waitReady polls the service's probe until it answers, the container stops running, or
// the deadline passes.
func waitReady(ctx context.Context, eng Engine, u plan.Unit, id string, timeout time.Duration) error {
	st, err := probe.Build(u.Probe)
	if err != nil {
		return err
	}
	start, err := eng.Inspect(ctx, id)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	target := u.Target(execIn(eng, id))
	deadline := time.Now().Add(timeout)
	wait := pollFirst
	timer := time.NewTimer(0)
	defer timer.Stop()
	var last error
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		actx, cancel := context.WithTimeout(ctx, min(attemptAt, time.Until(deadline)+10*time.Millisecond))
		last = st.Check(actx, target)
		cancel()
		if last == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(last, probe.ErrAuth) {
			return &AuthError{ServiceError: &ServiceError{Service: u.Name(), Reason: last.Error(), Logs: lastLogs(ctx, eng, id)}}
		}
		c, err := eng.Inspect(ctx, id)
		if err != nil {
			if ctx.Err() != nil { // interrupted during the inspect: say so, not "engine down"
				return ctx.Err()
			}
			return err
		}
		if reason := stopped(start, c); reason != "" {
			return failure(ctx, eng, u, id, reason)
		}
		if time.Now().After(deadline) {
			return failure(ctx, eng, u, id, fmt.Sprintf("not ready after %s (container %s; last probe: %v)", timeout, c.State, last))
		}
		timer.Reset(min(wait, time.Until(deadline)))
		wait = nextPoll(wait)
	}
}

// nextPoll is the pause after one of wait: half as long again, up to pollMax.
func nextPoll(wait time.Duration) time.Duration { return min(wait*3/2, pollMax) }

// execIn runs a probe's command in the container id, through the engine.
func execIn(eng Engine, id string) func(ctx context.Context, cmd []string) (int, []byte, error) {
	return func(ctx context.Context, cmd []string) (int, []byte, error) { return eng.Exec(ctx, id, cmd) }
}

// stopped says why a container can no longer become ready, or "" while it still may.
func stopped(start, now *engine.Container) string {
	switch {
	case now.OOMKilled:
		return "killed for lack of memory (OOM); give Docker more memory"
	case now.State == "exited" || now.State == "dead":
		return fmt.Sprintf("container exited with code %d", now.ExitCode)
	case now.State == "restarting" || now.RestartCount > start.RestartCount:
		return "container restarted while devstack waited on it"
	case now.State != "running":
		return "container is " + now.State
	}
	return ""
}

// AuthError is a service that refused the credentials devstack gave it: its data was
// initialised with others (.devstack/secrets.env lost or replaced), or its first
// initialisation never finished. Waiting longer would not help.
type AuthError struct{ *ServiceError }

func (e *AuthError) Unwrap() error { return e.ServiceError }

// Hint gives both ways out.
func (e *AuthError) Hint() string {
	return "restore .devstack/secrets.env or reset this service: devstack down --volumes " + e.Service + " (deletes its data), then devstack up"
}

func failure(ctx context.Context, eng Engine, u plan.Unit, id, reason string) error {
	return &ServiceError{Service: u.Name(), Reason: reason, Logs: lastLogs(ctx, eng, id)}
}

// lastLogs reads the container's last lines, stdout and stderr interleaved as written.
func lastLogs(ctx context.Context, eng Engine, id string) []string {
	var buf bytes.Buffer
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := eng.Logs(lctx, id, fmt.Sprint(logLines), false, &buf, &buf); err != nil {
		return []string{"(logs unavailable: " + err.Error() + ")"}
	}
	text := strings.TrimRight(buf.String(), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// isServiceError tells a service's own failure from a failure of devstack or the engine.
func isServiceError(err error) bool {
	var se *ServiceError
	return errors.As(err, &se)
}
