package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/probe"
	probespec "github.com/devstack-dev/devstack/probe/spec"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
)

// probeFunc is a readiness strategy that answers as the test says.
type probeFunc func() error

func (f probeFunc) Check(context.Context, probe.Target) error { return f() }
func (probeFunc) String() string                              { return "test probe" }

var testProbes atomic.Int64

// probeSpec is a probe of a kind registered for this answer alone.
func probeSpec(answer func() error) probespec.Spec {
	kind := fmt.Sprintf("test-%d", testProbes.Add(1))
	probe.Register(kind, func(probespec.Spec) (probe.Strategy, error) { return probeFunc(answer), nil })
	return probespec.Spec{Kind: kind}
}

// fakeUnit is a unit whose probe answers as the test says.
func fakeUnit(answer func() error) plan.Unit {
	svc := &services.Service{Name: "svc", Probe: probeSpec(answer)}
	return plan.Unit{Service: &config.Service{Service: svc},
		Spec: engine.ContainerSpec{Name: "p-svc", Image: "img", Labels: labels("p", "svc"),
			Ulimits: []engine.Ulimit{{Name: "nofile", Soft: 65536, Hard: 65536}}},
		Timeout: time.Second}
}

func TestReconcile(t *testing.T) {
	u := fakeUnit(func() error { return nil })
	running := func(hash string) *engine.Container {
		return &engine.Container{ID: "old", Name: "p-svc", State: "running",
			Labels: map[string]string{engine.LabelProject: "p", engine.LabelService: "svc", engine.LabelSpec: hash}}
	}
	exited := running(u.Spec.Hash())
	exited.State = "exited"
	inState := func(hash, state string) *engine.Container {
		c := running(hash)
		c.State = state
		return c
	}
	tests := []struct {
		name       string
		have       *engine.Container
		wantAction string
		wantCalls  string
	}{
		{"missing: created", nil, Created, "create p-svc; start p-svc"},
		{"running, same spec: untouched", running(u.Spec.Hash()), Unchanged, ""},
		{"running, changed spec: re-created", running("stale"), Recreated, "remove p-svc; create p-svc; start p-svc"},
		{"stopped, same spec: started", exited, Started, "start p-svc"},
		{"created by an interrupted up: started", inState(u.Spec.Hash(), "created"), Started, "start p-svc"},
		{"paused: unpaused", inState(u.Spec.Hash(), "paused"), Unpaused, "unpause p-svc"},
		{"paused, changed spec: re-created", inState("stale", "paused"), Recreated, "remove p-svc; create p-svc; start p-svc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			if tt.have != nil {
				f.Containers["p-svc"] = tt.have
			}
			_, action, err := reconcile(context.Background(), f, u, tt.have, NoProgress{})
			if err != nil || action != tt.wantAction || f.CallLog() != tt.wantCalls {
				t.Fatalf("action %q err %v calls %q; want %q, %q", action, err, f.CallLog(), tt.wantAction, tt.wantCalls)
			}
		})
	}
}

func TestForeignContainerIsNeverTouched(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis:\n")
	f := enginetest.New()
	f.Containers["p-redis"] = &engine.Container{ID: "theirs", Name: "p-redis", State: "running", Labels: map[string]string{"com.example": "x"}}
	_, err := Up(context.Background(), f, planFor(t, cfg), fixedSecrets{}, UpOptions{})
	var fe *ForeignContainerError
	if !errors.As(err, &fe) || !strings.Contains(fe.Hint(), "docker rm -f p-redis") {
		t.Fatalf("err = %v", err)
	}
	if f.CallLog() != "" {
		t.Fatalf("touched: %s", f.CallLog())
	}
}

func TestUlimitsRefusedFallsBackAndStaysIdempotent(t *testing.T) {
	u := fakeUnit(func() error { return nil })
	f := enginetest.New()
	f.StartErr["p-svc"] = []error{fmt.Errorf("start: %w: error setting rlimit type 8", engine.ErrUlimits)}
	r := bringUp(context.Background(), f, u, nil, "", UpOptions{Progress: NoProgress{}}, time.Now())
	if !r.Ready || len(r.Warnings) != 1 || r.Action != Created {
		t.Fatalf("result %+v", r)
	}
	if got := f.CallLog(); got != "create p-svc; start p-svc; remove p-svc; create p-svc; start p-svc" {
		t.Fatalf("calls %q", got)
	}
	spec := f.Specs["p-svc"]
	c := f.Containers["p-svc"]
	if spec.Ulimits != nil || c.Labels[engine.LabelSpec] != u.Spec.Hash() || c.Labels[engine.LabelDegraded] != "ulimits" {
		t.Fatalf("fallback spec %+v labels %v", spec.Ulimits, c.Labels)
	}
	// The next up sees the wanted hash and leaves the container alone.
	_, action, err := reconcile(context.Background(), f, u, c, NoProgress{})
	if err != nil || action != Unchanged {
		t.Fatalf("second run: %s %v", action, err)
	}
}

func TestPortConflictAtStartRemovesTheNewContainer(t *testing.T) {
	u := fakeUnit(func() error { return nil })
	u.Spec.Ports = []engine.PortBinding{{HostIP: "127.0.0.1", HostPort: 41999, ContainerPort: 6379}}
	f := enginetest.New()
	f.StartErr["p-svc"] = []error{&engine.PortConflictError{Port: 41999, Err: errors.New("Bind for 127.0.0.1:41999 failed: port is already allocated")}}
	_, _, err := reconcile(context.Background(), f, u, nil, NoProgress{})
	if err == nil || !strings.Contains(err.Error(), "port 41999 is held by") {
		t.Fatalf("err = %v", err)
	}
	if _, left := f.Containers["p-svc"]; left {
		t.Fatalf("a half-made container was left: %s", f.CallLog())
	}
}

func TestWaitReady(t *testing.T) {
	tests := []struct {
		name      string
		answersAt int // the probe succeeds on this attempt; 0 never
		exitAfter int // the container exits after this many inspections
		timeout   time.Duration
		wantErr   string
		maxTook   time.Duration
	}{
		{name: "ready on the fifth attempt", answersAt: 5, timeout: 5 * time.Second, maxTook: time.Second},
		{name: "exit fails at once, not at the deadline", exitAfter: 3, timeout: time.Minute, wantErr: "container exited with code 1", maxTook: 2 * time.Second},
		{name: "deadline", timeout: 300 * time.Millisecond, wantErr: "not ready after 300ms", maxTook: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attempts := 0
			u := fakeUnit(func() error {
				attempts++
				if tt.answersAt > 0 && attempts >= tt.answersAt {
					return nil
				}
				return errors.New("connection reset by peer")
			})
			f := enginetest.New()
			f.LogText = "line one\nFATAL: something broke\n"
			id, _ := f.Create(context.Background(), u.Spec)
			_ = f.Start(context.Background(), id)
			f.ExitAfter["p-svc"] = tt.exitAfter
			start := time.Now()
			err := waitReady(context.Background(), f, u, id, tt.timeout)
			took := time.Since(start)
			if tt.wantErr == "" {
				if err != nil || attempts != tt.answersAt {
					t.Fatalf("err %v after %d attempts", err, attempts)
				}
			} else {
				var se *ServiceError
				if !errors.As(err, &se) || !strings.Contains(se.Reason, tt.wantErr) || len(se.Logs) != 2 || se.Logs[1] != "FATAL: something broke" {
					t.Fatalf("err = %#v", err)
				}
			}
			if took > tt.maxTook {
				t.Fatalf("took %s", took)
			}
		})
	}
}

func TestWaitStopsOnCancel(t *testing.T) {
	u := fakeUnit(func() error { return errors.New("not yet") })
	f := enginetest.New()
	id, _ := f.Create(context.Background(), u.Spec)
	_ = f.Start(context.Background(), id)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if err := waitReady(ctx, f, u, id, time.Minute); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestVerifyBind(t *testing.T) {
	c := &engine.Container{Name: "p-redis", Ports: []engine.PortBinding{{HostIP: "0.0.0.0", HostPort: 6579}}}
	if err := verifyBind(c, "127.0.0.1"); err == nil || !strings.Contains(err.Error(), `published on "0.0.0.0", not on 127.0.0.1`) {
		t.Fatalf("err = %v", err)
	}
	c.Ports[0].HostIP = "127.0.0.1"
	if err := verifyBind(c, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
}

// A refused password does not heal by waiting: up stops at the first refusal, well
// within the service's timeout, and says how out.
func TestAuthFailureFailsFast(t *testing.T) {
	tries := 0
	u := fakeUnit(func() error {
		tries++
		return fmt.Errorf("%w: WRONGPASS invalid username-password pair", probe.ErrAuth)
	})
	u.Timeout = time.Minute
	r := bringUp(context.Background(), enginetest.New(), u, nil, "", UpOptions{Progress: NoProgress{}}, time.Now())
	var ae *AuthError
	if !errors.As(r.err, &ae) || tries != 1 || r.Ready {
		t.Fatalf("err %v after %d tries; want an AuthError at the first", r.err, tries)
	}
	if !strings.Contains(r.Fix, "restore .devstack/secrets.env or reset this service: devstack down --volumes svc") {
		t.Fatalf("fix = %q", r.Fix)
	}
}
