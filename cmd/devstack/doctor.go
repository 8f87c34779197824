package main

import (
	"context"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/stack"
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
	portsCheck := func(ctx context.Context) checks.Result {
		return checks.PortsResult(ports.RunOn(ctx, cfg, ownedPorts(e), false, remotePorts(e)))
	}
	imagesCheck := func(ctx context.Context) checks.Result {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return checks.ImagesResult(plannedImages(ctx, e, cfg))
	}
	extra := []func(context.Context) checks.Result{portsCheck, imagesCheck}
	if plansFloor(cfg) {
		// Only when a planned image has a CPU floor (MongoDB): the check may run a container.
		extra = append(extra, func(ctx context.Context) checks.Result {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			return checks.PlatformResult(plannedPlatform(ctx, e, cfg))
		})
	}
	report := checks.Doctor(ctx, cfg, checks.Options{Timeout: timeout, Getenv: e.getenv, Extra: extra})
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

// plannedImages asks the engine, and through it the registries, about every planned image.
func plannedImages(ctx context.Context, e *env, cfg *config.Config) ([]stack.ImageState, error) {
	eng, err := e.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	return stack.PlannedImages(ctx, eng, cfg)
}

// plansFloor says whether a planned image has a known CPU floor.
func plansFloor(cfg *config.Config) bool {
	for _, s := range cfg.Services {
		if stack.HasFloor(s.Image) {
			return true
		}
	}
	return false
}

// plannedPlatform judges the planned images against the CPU of the engine's host.
func plannedPlatform(ctx context.Context, e *env, cfg *config.Config) ([]stack.PlatformVerdict, error) {
	eng, err := e.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	return stack.PlannedPlatform(ctx, eng, cfg)
}
