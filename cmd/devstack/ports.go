package main

import (
	"context"
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/stack"
)

// planFlags are shared by every command that publishes or checks ports.
func planFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "bind", Usage: "host address for every published port (default 127.0.0.1; also DEVSTACK_BIND)"},
		&cli.IntFlag{Name: "offset", Usage: "added to every host port, to run a second stack beside the first (also DEVSTACK_OFFSET)"},
	}
}

func portsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "ports",
		Usage: "show the port plan, and whether each port is free or who holds it",
		Flags: append(planFlags(),
			&cli.BoolFlag{Name: "suggest", Usage: "find the smallest offset (in steps of 100) at which every port is free"},
		),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return runPorts(c.Context, portsOptions{env: e, plan: planFrom(c), suggest: c.Bool("suggest")})
		},
	}
}

// portsOptions are ports' flags, and the factory it takes the rest from.
type portsOptions struct {
	env     *env
	plan    planValues
	suggest bool
}

func runPorts(ctx context.Context, opts portsOptions) error {
	e := opts.env
	cfg, err := e.loadPlan(opts.plan, false)
	if err != nil {
		return err
	}
	// A checkout that adopted a legacy stack owns its ports under that stack's identity;
	// without an engine nothing is owned, and the derived one is as good as any.
	var probes stack.PortProbes
	eng, cerr := e.connect(ctx)
	if cerr == nil {
		defer eng.Close()
		if id, err := stack.Resolve(ctx, eng, cfg); err == nil {
			cfg.Identity = id
		}
		probes = stack.ProbesOf(eng)
	} else {
		probes = stack.ProbesWithout(cerr, e.remote())
	}
	placed, err := ports.NewPlan(cfg)
	if err != nil {
		return planError(err)
	}
	report, err := stack.SurveyPorts(ctx, placed, probes, opts.suggest)
	if err != nil {
		return planError(err)
	}
	if err := e.printer.Print(report); err != nil {
		return err
	}
	if !report.OK {
		return errSilent
	}
	return nil
}

// planError makes a bind address this machine does not have a usage error (exit 2).
func planError(err error) error {
	var be *ports.BindError
	if errors.As(err, &be) {
		return usagef(err)
	}
	return err
}

// remote says whether the engine runs on another machine, where the ports bind, without
// connecting to it.
func (e *env) remote() bool {
	ep, err := e.discover()
	return err == nil && ep.Remote()
}

// connectStack connects to the engine for a step that asks it, and lets it go after.
func (e *env) connectStack(ctx context.Context) (stack.Engine, func(), error) {
	eng, err := e.connect(ctx)
	if err != nil {
		return nil, nil, err
	}
	return eng, func() { eng.Close() }, nil
}
