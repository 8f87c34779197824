package main

import (
	"cmp"
	"context"
	"errors"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/bootstrap"
	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/fixtures"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/state"
)

func bootstrapCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "bootstrap",
		Usage: "the whole onboarding: doctor, ports, up, .env, fixtures; never prompts, safe to run again",
		Flags: append(planFlags(),
			&cli.BoolFlag{Name: "skip-doctor", Usage: "go on even when doctor finds a problem"},
			&cli.BoolFlag{Name: "force", Usage: "load every fixture file again, even if it was loaded before"},
			&cli.DurationFlag{Name: "timeout", Usage: "how long up waits for each service (default: each service's own)"},
			&cli.BoolFlag{Name: "auto-offset", Value: true, Usage: "when the planned ports are held (by another devstack project), move to the next free offset in steps of 100 and remember it; --auto-offset=false refuses instead"},
		),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			if c.Duration("timeout") < 0 {
				return usagef(errPositive("--timeout", c.Duration("timeout")))
			}
			p, err := e.openPublishing(c.Context, planFrom(c))
			if err != nil {
				return err
			}
			defer p.close()
			if err := p.lock(c.Context, e); err != nil {
				return err
			}
			warnBind(e, p.cfg)
			view := progressFor(e.printer)
			report, err := bootstrap.Run(c.Context, p.plan, p.secrets, bootstrap.Options{
				SkipDoctor: c.Bool("skip-doctor"), Force: c.Bool("force"), Timeout: c.Duration("timeout"),
				AutoOffset: c.Bool("auto-offset") && !c.IsSet("offset"), Moved: movedLine(e),
				Engine: p.engine, Doctor: checks.Options{Getenv: e.getenv}, Progress: view,
				Refusals: p.refusals(), Volumes: state.NewReadyVolumes(p.cfg.Root),
			})
			view.Close()
			if report != nil && report.Up != nil {
				report.Up.Live = e.printer.Interactive()
			}
			return finish(e, report, err, report.OK)
		},
	}
}

func fixturesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "fixtures",
		Usage:     "load the project's fixtures into the running stack (each file once per content)",
		ArgsUsage: "[NAME…]",
		Flags: append(planFlags(),
			&cli.BoolFlag{Name: "force", Usage: "load every file again, even if it was loaded before"},
			&cli.BoolFlag{Name: "reset", Usage: "empty each named fixture's target (e.g. drop and re-create its database), then load every fixture aimed at it"},
		),
		Action: func(c *cli.Context) error {
			p, err := e.openProject(c.Context, planFrom(c), true)
			if err != nil {
				return err
			}
			defer p.close()
			if err := p.lock(c.Context, e); err != nil {
				return err
			}
			report, err := fixtures.Apply(c.Context, p.plan, fixtures.Options{
				Names: c.Args().Slice(), Force: c.Bool("force"), Reset: c.Bool("reset"),
				Data:     func(ctx context.Context, u plan.Unit) (string, error) { return stack.DataIdentity(ctx, p.engine, u) },
				Progress: func(name, msg string) { e.printer.Progress("%-12s %s", name, msg) },
			})
			if report == nil {
				return err
			}
			return finish(e, report, err, report.OK)
		},
	}
}

func initCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "write a starting devstack.yaml for this repository",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "from-machine", Usage: "ask for at least the tool versions found on this machine"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing devstack.yaml"},
			&cli.StringFlag{Name: "preset", Usage: "write the devstack.yaml of the known stack `NAME`, one of --list-presets (default: invenio)"},
			&cli.BoolFlag{Name: "list-presets", Usage: "list the presets and write nothing"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			if c.Bool("list-presets") {
				all, err := bootstrap.Presets()
				if err != nil {
					return err
				}
				return e.printer.Print(&bootstrap.PresetList{Presets: all})
			}
			// An unknown preset is a usage error, found before any probe or write.
			if _, err := bootstrap.LookupPreset(cmp.Or(c.String("preset"), bootstrap.DefaultPreset)); err != nil {
				return usagef(err)
			}
			root, err := os.Getwd()
			if err != nil {
				return err
			}
			opts := bootstrap.InitOptions{Root: root, Force: c.Bool("force"), Preset: c.String("preset")}
			if c.Bool("from-machine") {
				opts.Found = foundVersions(c.Context, e, root)
			}
			if err := c.Context.Err(); err != nil { // Ctrl-C during the probes: write nothing
				return err
			}
			l, err := e.takeLock(c.Context, root)
			if err != nil {
				return err
			}
			defer l.Release()
			report, err := bootstrap.Init(c.Context, opts)
			if errors.Is(err, bootstrap.ErrExists) {
				return usagef(err)
			}
			if err != nil {
				return err
			}
			return e.printer.Print(report)
		},
	}
}

// foundVersions runs doctor's tool probes with the default configuration and keeps the
// versions that answered.
func foundVersions(ctx context.Context, e *env, root string) map[string]string {
	cfg, err := config.Load(config.Options{Path: os.DevNull, Dir: root, Getenv: e.getenv})
	if err != nil {
		return nil
	}
	report := checks.Doctor(ctx, cfg, checks.Options{Getenv: e.getenv})
	found := map[string]string{}
	for _, c := range report.Checks {
		if c.Kind == "tool" && c.Version != "" {
			found[c.Name] = c.Version
		}
	}
	return found
}

var _ output.Report = (*bootstrap.Report)(nil)
