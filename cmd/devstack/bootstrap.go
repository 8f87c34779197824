package main

import (
	"cmp"
	"context"
	"errors"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/bootstrap"
	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/compose"
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/fixtures"
	"github.com/devstack-dev/devstack/output"
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
			return runBootstrap(c.Context, bootstrapOptions{env: e, plan: planFrom(c),
				skipDoctor: c.Bool("skip-doctor"), force: c.Bool("force"), timeout: c.Duration("timeout"),
				autoOffset: c.Bool("auto-offset") && !c.IsSet("offset")})
		},
	}
}

// bootstrapOptions are bootstrap's flags, and the factory it takes the rest from.
type bootstrapOptions struct {
	env        *env
	plan       planValues
	skipDoctor bool
	force      bool
	timeout    time.Duration
	// autoOffset moves the project when its ports are held; an --offset typed is kept.
	autoOffset bool
}

func runBootstrap(ctx context.Context, opts bootstrapOptions) error {
	e := opts.env
	p, err := e.openToPublish(ctx, opts.plan, opts.timeout)
	if err != nil {
		return err
	}
	defer p.close()
	warnBind(e, p.plan)
	view := progressFor(e.printer)
	report, err := bootstrap.Run(ctx, p.plan, p.secrets, bootstrap.Options{
		SkipDoctor: opts.skipDoctor, Force: opts.force, Timeout: opts.timeout,
		AutoOffset: opts.autoOffset, Moved: movedLine(e),
		Engine: p.engine, Doctor: checks.Options{Getenv: e.getenv}, Progress: view,
		Refusals: p.refusals(), Volumes: state.NewReadyVolumes(p.cfg.Root),
	})
	view.Close()
	if report != nil && report.Up != nil {
		report.Up.Live = e.printer.Interactive()
	}
	return finish(e, report, err, report.OK)
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
			return runFixtures(c.Context, fixturesOptions{env: e, plan: planFrom(c),
				names: c.Args().Slice(), force: c.Bool("force"), reset: c.Bool("reset")})
		},
	}
}

// fixturesOptions are fixtures' arguments and flags, and the factory it takes the rest from.
type fixturesOptions struct {
	env          *env
	plan         planValues
	names        []string
	force, reset bool
}

func runFixtures(ctx context.Context, opts fixturesOptions) error {
	e := opts.env
	p, err := e.openProject(ctx, opts.plan, true)
	if err != nil {
		return err
	}
	defer p.close()
	if err := p.lock(ctx, e); err != nil {
		return err
	}
	report, err := bootstrap.New(p.engine, p.plan, p.secrets).Fixtures(ctx, fixtures.Options{
		Names: opts.names, Force: opts.force, Reset: opts.reset,
		Progress: func(name, msg string) { e.printer.Progress("%-12s %s", name, msg) },
	})
	if report == nil {
		return err
	}
	return finish(e, report, err, report.OK)
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
			&cli.StringFlag{Name: "from-compose", Usage: "write the devstack.yaml that runs the services of the compose file `FILE`, and list what it cannot carry over"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return runInit(c.Context, initOptions{env: e, fromMachine: c.Bool("from-machine"), force: c.Bool("force"),
				preset: c.String("preset"), listPresets: c.Bool("list-presets"), fromCompose: c.String("from-compose")})
		},
	}
}

// initOptions are init's flags, and the factory it takes the rest from.
type initOptions struct {
	env                *env
	fromMachine, force bool
	preset             string
	listPresets        bool
	fromCompose        string
}

func runInit(ctx context.Context, opts initOptions) error {
	e := opts.env
	if opts.listPresets {
		all, err := bootstrap.Presets()
		if err != nil {
			return err
		}
		return e.printer.Print(&bootstrap.PresetList{Presets: all})
	}
	// An unknown preset is a usage error, found before any probe or write.
	if _, err := bootstrap.LookupPreset(cmp.Or(opts.preset, bootstrap.DefaultPreset)); err != nil {
		return usagef(err)
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	in := bootstrap.InitOptions{Root: root, Force: opts.force, Preset: opts.preset}
	var imported *compose.Result
	if opts.fromCompose != "" {
		if opts.preset != "" || opts.fromMachine {
			return usagef(errors.New("--from-compose writes the compose file's services: give it without --preset and --from-machine"))
		}
		if imported, err = compose.Import(ctx, root, opts.fromCompose); err != nil {
			if errors.Is(err, compose.ErrInput) {
				return usagef(err)
			}
			return err
		}
		in.Content, in.From = imported.YAML, imported.File
	}
	if opts.fromMachine {
		in.Found = foundVersions(ctx, e, root)
	}
	if err := ctx.Err(); err != nil { // Ctrl-C during the probes: write nothing
		return err
	}
	hadState := state.Existed(root)
	l, err := e.takeLock(ctx, root)
	if err != nil {
		return err
	}
	report, err := bootstrap.Init(ctx, in)
	l.Release()
	if err != nil && !hadState {
		// All or nothing: the lock's directory goes with the files init did not write.
		_ = state.Unmake(root)
	}
	if errors.Is(err, bootstrap.ErrExists) {
		return usagef(err)
	}
	if err != nil {
		return err
	}
	if imported != nil {
		return e.printer.Print(importReport{InitReport: report, Import: imported})
	}
	return e.printer.Print(report)
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
