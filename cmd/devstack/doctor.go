package main

import (
	"context"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/bootstrap"
	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/plan"
)

func doctorCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check every tool and system prerequisite, and say how to fix what fails",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "timeout", Value: checks.DefaultTimeout, Usage: "how long each tool may take to answer"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return runDoctor(c.Context, doctorOptions{env: e, timeout: c.Duration("timeout")})
		},
	}
}

// doctorOptions are doctor's flags, and the factory it takes the rest from.
type doctorOptions struct {
	env     *env
	timeout time.Duration // for each tool to answer
}

func runDoctor(ctx context.Context, opts doctorOptions) error {
	e, timeout := opts.env, opts.timeout
	if timeout <= 0 {
		return usagef(errPositive("--timeout", timeout))
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	pl, err := plan.New(cfg, plan.NoSecrets{})
	if err != nil {
		return err
	}
	report := bootstrap.Doctor(ctx, pl, bootstrap.DoctorOptions{
		Options: checks.Options{Timeout: timeout, Getenv: e.getenv},
		Connect: e.connectStack, Ports: true, Remote: e.remote(),
	})
	if err := ctx.Err(); err != nil {
		// Every probe was killed, not failed: a report of them would be false.
		return err
	}
	if err := e.printer.Print(report); err != nil {
		return err
	}
	if !report.OK {
		return errSilent
	}
	return nil
}
