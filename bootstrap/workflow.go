package bootstrap

import (
	"context"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/fixtures"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/stack"
)

// Workflow is the onboarding's steps, each defined once, on one project placed once:
// `devstack bootstrap` takes them all in order (Run), `devstack up` takes Place and Up,
// `devstack fixtures` Fixtures, `devstack doctor` Doctor. A step reads the workflow's
// plan and never decides the placement again.
type Workflow struct {
	Engine  stack.Engine
	Plan    *plan.Plan // as placed: set by New, replaced only by Place
	Secrets plan.Secrets
}

// New is the workflow for a project as configuration resolved it.
func New(eng stack.Engine, pl *plan.Plan, secrets plan.Secrets) *Workflow {
	return &Workflow{Engine: eng, Plan: pl, Secrets: secrets}
}

// Place decides where the project runs for this command (stack.Place), before any other
// step; with autoOffset a project whose planned ports are held moves, and the Move says so.
func (w *Workflow) Place(ctx context.Context, autoOffset bool) (*stack.Move, error) {
	placed, m, err := stack.Place(ctx, w.Engine, w.Plan, w.Secrets, stack.PlaceOptions{AutoOffset: autoOffset})
	if err != nil {
		return nil, err
	}
	w.Plan = placed
	return m, nil
}

// Doctor is the doctor step on the workflow's engine, without the port check (the
// Ports step is that, on the placed plan).
func (w *Workflow) Doctor(ctx context.Context, opts checks.Options) *checks.Report {
	return Doctor(ctx, w.Plan, DoctorOptions{Options: opts,
		Connect: func(context.Context) (stack.Engine, func(), error) { return w.Engine, func() {}, nil }})
}

// Ports is the ports step: the placed ports checked through the engine, on its own host
// when it runs on another machine.
func (w *Workflow) Ports(ctx context.Context) (*ports.Report, error) {
	return stack.SurveyPorts(ctx, w.Plan.Ports, stack.ProbesOf(w.Engine), false)
}

// Up is the up step: the planned services (or opts.Services) brought to ready where the
// workflow placed them.
func (w *Workflow) Up(ctx context.Context, opts stack.UpOptions) (*stack.UpReport, error) {
	return stack.Up(ctx, w.Engine, w.Plan, w.Secrets, opts)
}

// EnvFile is the env step: the connection settings merged into the project's env file.
// It returns what it did, in one line.
func (w *Workflow) EnvFile() (string, error) { return writeEnv(w.Plan, w.Secrets) }

// Fixtures is the fixtures step: the project's fixtures loaded into the running stack,
// each file once per content (opts.Data is filled from the engine).
func (w *Workflow) Fixtures(ctx context.Context, opts fixtures.Options) (*fixtures.Report, error) {
	opts.Data = func(ctx context.Context, u plan.Unit) (string, error) { return stack.DataIdentity(ctx, w.Engine, u) }
	return fixtures.Apply(ctx, w.Plan, opts)
}
