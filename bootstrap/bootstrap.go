package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/fixtures"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/userfile"
)

// Options are what bootstrap needs besides the configuration.
type Options struct {
	SkipDoctor bool
	Force      bool          // load every fixture file again
	Timeout    time.Duration // per service, for up; 0 keeps each service's own
	Engine     stack.Engine
	Doctor     checks.Options
	Progress   stack.Progress
	Refusals   stack.Refusals // what the engine refused before; nil: nothing known
	Volumes    stack.VolumeMemory
	// AutoOffset moves the project to the next free offset when its ports are held, and
	// Moved hears of it.
	AutoOffset bool
	Moved      func(*stack.Move)
}

// Step is one step's outcome.
type Step struct {
	Name    string        `json:"name"`
	Status  output.Status `json:"status"`
	Seconds float64       `json:"seconds"`
	Message string        `json:"message,omitempty"`
}

// Report is every step taken, and the detailed report of each step that has one.
type Report struct {
	OK       bool             `json:"ok"`
	Steps    []Step           `json:"steps"`
	Doctor   *checks.Report   `json:"doctor,omitempty"`
	Ports    *ports.Report    `json:"ports,omitempty"`
	Up       *stack.UpReport  `json:"up,omitempty"`
	Fixtures *fixtures.Report `json:"fixtures,omitempty"`
	Moved    *stack.Move      `json:"moved,omitempty"` // the offset chosen because the planned one was held
	failed   output.Report    // the failing step's own report, shown in full
}

// StepError is the failure that stopped bootstrap, keeping the step's own error so that
// its exit code (1, or 2 for configuration) and its fix carry through.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// errReported is a step whose own report already says what failed.
var errReported = errors.New("see its report above")

// Run takes the onboarding steps in order and stops at the first that fails. Every step
// is idempotent, so a second run does nothing it has already done.
func Run(ctx context.Context, pl *plan.Plan, secrets plan.Secrets, opts Options) (*Report, error) {
	cfg := pl.Config
	if opts.Progress == nil {
		opts.Progress = stack.NoProgress{}
	}
	r := &Report{OK: true}
	// The file bootstrap writes for the user is checked before anything else is done: a
	// .env that cannot be written (a link out of the project or into .git, read-only)
	// fails now, not after the stack is up (issue 18, rule 5).
	if err := userfile.Check(cfg.Root, cfg.EnvFile); err != nil {
		r.OK = false
		r.Steps = append(r.Steps, Step{Name: "env", Status: output.Fail, Message: err.Error()})
		return r, &StepError{Step: "env", Err: err}
	}
	// The placement is decided once, before any step: every step reads the same one.
	w := New(opts.Engine, pl, secrets)
	m, err := w.Place(ctx, opts.AutoOffset)
	if err != nil {
		r.OK = false
		r.Steps = append(r.Steps, Step{Name: "ports", Status: output.Fail, Message: err.Error()})
		return r, &StepError{Step: "ports", Err: err}
	}
	if m != nil {
		r.Moved = m
		if opts.Moved != nil {
			opts.Moved(m)
		}
	}
	steps := []struct {
		name string
		run  func() (string, error)
	}{
		{"doctor", func() (string, error) { return r.doctor(ctx, w, opts) }},
		{"ports", func() (string, error) { return r.ports(ctx, w) }},
		{"up", func() (string, error) { return r.up(ctx, w, opts) }},
		{"env", w.EnvFile},
		{"fixtures", func() (string, error) { return r.fixtures(ctx, w, opts) }},
	}
	for _, s := range steps {
		if s.name == "doctor" && opts.SkipDoctor {
			r.Steps = append(r.Steps, Step{Name: s.name, Status: output.Skip, Message: "skipped (--skip-doctor)"})
			continue
		}
		opts.Progress.Service(s.name, "…")
		start := time.Now()
		msg, err := s.run()
		step := Step{Name: s.name, Status: output.OK, Seconds: time.Since(start).Seconds(), Message: msg}
		if err != nil {
			step.Status, r.OK = output.Fail, false
			if !errors.Is(err, errReported) {
				step.Message = err.Error()
			}
			r.Steps = append(r.Steps, step)
			return r, &StepError{Step: s.name, Err: err}
		}
		r.Steps = append(r.Steps, step)
	}
	return r, nil
}

func (r *Report) doctor(ctx context.Context, w *Workflow, opts Options) (string, error) {
	d := w.Doctor(ctx, opts.Doctor)
	r.Doctor = d
	warn, fail := 0, 0
	for _, c := range d.Checks {
		switch c.Status {
		case output.Warn:
			warn++
		case output.Fail:
			fail++
		}
	}
	msg := fmt.Sprintf("%d checks, %d warnings, %d failed", len(d.Checks), warn, fail)
	if !d.OK {
		r.failed = d
		return msg, fmt.Errorf("%s; fix them, or run bootstrap --skip-doctor: %w", msg, errReported)
	}
	return msg, nil
}

func (r *Report) ports(ctx context.Context, w *Workflow) (string, error) {
	p, err := w.Ports(ctx)
	if err != nil {
		return "", err
	}
	r.Ports = p
	if !p.OK {
		r.failed = p
		var held []string
		for _, s := range p.Ports {
			if s.State == ports.Held {
				held = append(held, fmt.Sprintf("%d (%s %s)", s.Host, s.Service, s.Name))
			}
		}
		// The step line says which ports, so it reads alone in a CI log or in JSON.
		msg := fmt.Sprintf("%d of %d ports held by something else on %s: %s", len(held), len(p.Ports), p.Bind, strings.Join(held, ", "))
		return msg, fmt.Errorf("a planned port is held: %w", errReported)
	}
	return fmt.Sprintf("%d ports free or ours on %s", len(p.Ports), p.Bind), nil
}

func (r *Report) up(ctx context.Context, w *Workflow, opts Options) (string, error) {
	u, err := w.Up(ctx, stack.UpOptions{Timeout: opts.Timeout, Progress: opts.Progress, Refusals: opts.Refusals, Volumes: opts.Volumes})
	r.Up = u
	if err != nil {
		return "", err
	}
	if !u.OK {
		r.failed = u
		var failed []string
		for _, s := range u.Services {
			if !s.Ready {
				failed = append(failed, s.Name)
			}
		}
		return "not ready: " + strings.Join(failed, ", "), fmt.Errorf("a service is not ready: %w", errReported)
	}
	changed := 0
	for _, s := range u.Services {
		if s.Action != stack.Unchanged {
			changed++
		}
	}
	return fmt.Sprintf("%d services ready (%d changed)", len(u.Services), changed), nil
}

func writeEnv(pl *plan.Plan, secrets plan.Secrets) (string, error) {
	cfg := pl.Config
	settings, err := pl.Settings("", secrets)
	if err != nil {
		return "", err
	}
	guarded, err := guardEnvFile(cfg.Root, cfg.EnvFile)
	if err != nil {
		return "", err
	}
	changed, err := MergeEnv(cfg.Root, cfg.EnvFile, settings)
	if err != nil {
		return "", err
	}
	if !changed {
		return fmt.Sprintf("%s already up to date%s", cfg.EnvFile, guarded), nil
	}
	return fmt.Sprintf("%d settings written to %s%s", len(settings), cfg.EnvFile, guarded), nil
}

func (r *Report) fixtures(ctx context.Context, w *Workflow, opts Options) (string, error) {
	f, err := w.Fixtures(ctx, fixtures.Options{Force: opts.Force,
		Progress: func(name, msg string) { opts.Progress.Service(name, msg) }})
	r.Fixtures = f
	if err != nil {
		return "", err
	}
	applied, skipped, changed := 0, 0, 0
	for _, fx := range f.Fixtures {
		applied += len(fx.Applied)
		skipped += len(fx.Skipped)
		changed += len(fx.Changed)
	}
	msg := fmt.Sprintf("%d fixtures: %d files applied, %d already applied", len(f.Fixtures), applied, skipped)
	if changed > 0 {
		// Not a failure: the data is as it was; the fixtures report says which files and how to reset.
		msg += fmt.Sprintf(", %d changed since loaded (not applied: devstack fixtures --reset)", changed)
	}
	if !f.OK {
		r.failed = f
		return msg, fmt.Errorf("a fixture failed: %w", errReported)
	}
	return msg, nil
}

// WriteText writes each step with its outcome and time; a failed step's own report
// follows, so its message and fix are there.
func (r *Report) WriteText(w *output.TextWriter) {
	for _, s := range r.Steps {
		line := fmt.Sprintf("%-8s  %5.2fs  %s", s.Name, s.Seconds, s.Message)
		if s.Status == output.Skip {
			line = fmt.Sprintf("%-8s  %s", s.Name, s.Message)
		}
		w.Item(s.Status, line)
	}
	if r.failed != nil {
		w.Line("")
		r.failed.WriteText(w)
		return
	}
	if r.OK {
		w.Line("")
		stale := false
		if r.Fixtures != nil {
			for _, f := range r.Fixtures.Fixtures {
				if len(f.Changed) > 0 {
					stale = true
					w.Item(output.Warn, fmt.Sprintf("fixture %s: %s", f.Name, f.Warning))
					w.Detail("fix", f.Fix)
				}
			}
		}
		if stale {
			w.Line(w.Paint(output.Warn, "ready: the stack is up and .env is written; the changed fixture files above are not loaded"))
			return
		}
		w.Line(w.Paint(output.OK, "ready: the stack is up, .env is written and the fixtures are loaded"))
	}
}
