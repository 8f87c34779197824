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
	if eng, err := e.connect(ctx); err == nil {
		if id, err := stack.Resolve(ctx, eng, cfg); err == nil {
			cfg.Identity = id
		}
		eng.Close()
	}
	report, err := ports.RunOn(ctx, cfg, ownedPorts(e), opts.suggest, remotePorts(e))
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

// ownedPorts asks the engine which ports devstack's containers hold, and for which
// project and service, so that a port is shown as this project's own, or named as
// another project's, rather than as docker-proxy. Without an engine, nothing is.
func ownedPorts(e *env) ports.Owned {
	return func(ctx context.Context) (map[int]ports.Owner, error) {
		c, err := e.connect(ctx)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		return c.PublishedPorts(ctx)
	}
}

// remotePorts checks the ports through the engine when it runs on another machine, where
// they bind; nil checks them here.
func remotePorts(e *env) ports.RemoteProbe {
	ep, err := e.discover()
	if err != nil || !ep.Remote() {
		return nil
	}
	return func(ctx context.Context, bind string, hostPorts []int) (map[int]bool, error) {
		c, err := e.connect(ctx)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		return c.HeldPorts(ctx, bind, hostPorts)
	}
}
