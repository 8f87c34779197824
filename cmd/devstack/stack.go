package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
	"github.com/devstack-dev/devstack/state"
)

// project is what the stack commands share: the configuration, with flags applied, the
// project's secrets and a connected engine.
type project struct {
	cfg     *config.Config
	plan    *plan.Plan // resolved once, here, and passed to whatever acts
	secrets *state.Secrets
	engine  *engine.Client
	held    *state.Lock // taken by lock, for commands that write the project's state
}

func (e *env) openProject(c *cli.Context, withPlanFlags, withEngine bool) (*project, error) {
	return e.open(c, withPlanFlags, withEngine, false)
}

// openPublishing opens the project for a command that publishes ports (up, bootstrap):
// a non-loopback bind the user did not type is refused before the engine is reached.
func (e *env) openPublishing(c *cli.Context) (*project, error) {
	return e.open(c, true, true, true)
}

func (e *env) open(c *cli.Context, withPlanFlags, withEngine, publish bool) (*project, error) {
	cfg, err := e.loadConfig()
	if withPlanFlags {
		cfg, err = e.loadPlan(c, publish)
	}
	if err != nil {
		return nil, err
	}
	secrets, err := state.LoadSecrets(cfg.Root)
	if err != nil {
		return nil, err
	}
	pl, err := plan.New(cfg, secrets)
	if err != nil {
		return nil, err
	}
	p := &project{cfg: cfg, plan: pl, secrets: secrets}
	if withEngine {
		if p.engine, err = engine.Connect(e.getenv); err != nil {
			return nil, err
		}
		// Settle the API version now, so that an engine refusing it says so once, clearly.
		if err := p.engine.Negotiate(c.Context); err != nil {
			p.engine.Close()
			return nil, err
		}
	}
	return p, nil
}

func (p *project) close() {
	if p.engine != nil {
		p.engine.Close()
	}
	_ = p.held.Release()
}

// progress writes up's steps to stderr as they happen: services' steps for people only,
// pulls for people and, in JSON mode, as JSON events.
type progress struct {
	p *output.Printer
	*stack.PullView
}

func (pr progress) Service(name, status string) { pr.p.Progress("%-12s %s", name, status) }

func upCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "up",
		Usage:     "start the services and wait until each answers its own protocol",
		ArgsUsage: "[SERVICE…]",
		Flags: append(planFlags(),
			&cli.DurationFlag{Name: "timeout", Usage: "how long to wait for each service (default: each service's own, 30s to 3m)"},
			&cli.BoolFlag{Name: "no-wait", Usage: "start the containers and return without waiting for readiness"},
			&cli.BoolFlag{Name: "auto-offset", Usage: "when the planned ports are held (by another devstack project), move to the next free offset in steps of 100 and remember it"},
		),
		Action: func(c *cli.Context) error {
			if c.Duration("timeout") < 0 {
				return usagef(errPositive("--timeout", c.Duration("timeout")))
			}
			p, err := e.openPublishing(c)
			if err != nil {
				return err
			}
			defer p.close()
			if err := p.lock(c, e); err != nil {
				return err
			}
			warnBind(e, p.cfg)
			if c.Bool("auto-offset") {
				pl, move, err := stack.AutoOffset(c.Context, p.engine, p.plan, p.secrets)
				if err != nil {
					return planError(err)
				}
				p.plan = pl
				movedLine(e)(move)
			}
			report, err := stack.Up(c.Context, p.engine, p.plan, p.secrets, stack.UpOptions{
				Services: c.Args().Slice(), Timeout: c.Duration("timeout"), NoWait: c.Bool("no-wait"),
				Progress: progressFor(e.printer),
			})
			if report == nil {
				return planError(err)
			}
			return finish(e, report, err, report.OK)
		},
	}
}

// movedLine says, in one line on stderr, that the project moved to another offset.
func movedLine(e *env) func(*stack.Move) {
	return func(m *stack.Move) {
		if m != nil {
			e.printer.Warn("%s", m.Line())
		}
	}
}

// warnBind says, every time, that a bind the user typed opens the services to the network.
func warnBind(e *env, cfg *config.Config) {
	if w := cfg.BindWarning(); w != "" {
		e.printer.Warn("%s; use --bind 127.0.0.1 unless you mean it", w)
	}
}

func progressFor(p *output.Printer) stack.Progress {
	return progress{p: p, PullView: &stack.PullView{P: p}}
}

// finish prints a report, partial or whole, then returns what sets the exit code: the
// command's own error, or a silent one when the report says something failed.
func finish(e *env, report output.Report, err error, ok bool) error {
	if perr := e.printer.Print(report); perr != nil {
		return perr
	}
	if err != nil {
		return planError(err)
	}
	if !ok {
		return errSilent
	}
	return nil
}

func downCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "down",
		Usage:     "remove the services' containers and network (volumes kept unless --volumes)",
		ArgsUsage: "[SERVICE…]",
		Description: "With services named, only their containers go (and with --volumes their data); " +
			"the network and the other services stay.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "volumes", Usage: "also delete the volumes, and the data in them"}},
		Action: func(c *cli.Context) error {
			p, err := e.openProject(c, false, true)
			if err != nil {
				return err
			}
			defer p.close()
			if err := p.lock(c, e); err != nil {
				return err
			}
			only := c.Args().Slice()
			for _, name := range only {
				if _, err := services.Lookup(name); err != nil {
					if _, planned := p.cfg.Service(name); !planned {
						return usagef(err)
					}
				}
			}
			report, err := stack.Down(c.Context, p.engine, p.cfg, c.Bool("volumes"), only)
			if report == nil {
				return err
			}
			return finish(e, report, err, true)
		},
	}
}

func statusCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show each service's state, readiness, ports and uptime",
		Flags: planFlags(),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			p, err := e.openProject(c, true, true)
			if err != nil {
				return err
			}
			defer p.close()
			report, err := stack.Status(c.Context, p.engine, p.plan)
			if err != nil {
				return err
			}
			if info, err := p.engine.Info(c.Context); err == nil {
				ref := info.Ref()
				report.Engine = &ref
			}
			return finish(e, report, nil, report.OK)
		},
	}
}

func logsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "logs",
		Usage:     "show a service's log",
		ArgsUsage: "SERVICE",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Usage: "keep printing new lines until Ctrl-C"},
			&cli.StringFlag{Name: "tail", Value: "all", Usage: "how many of the last lines to show, or all"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef(errors.New("name one service: devstack logs SERVICE"))
			}
			tail := c.String("tail")
			if n, err := strconv.Atoi(tail); tail != "all" && (err != nil || n < 0) {
				return usagef(fmt.Errorf("--tail takes a number of lines or all, not %q", tail))
			}
			p, err := e.openProject(c, false, true)
			if err != nil {
				return err
			}
			defer p.close()
			name := c.Args().First()
			if _, ok := p.cfg.Service(name); !ok {
				return usagef(fmt.Errorf("service %q is not planned (planned: %s)", name, strings.Join(planned(p.cfg), ", ")))
			}
			ctr, err := p.engine.Inspect(c.Context, plan.ContainerName(p.cfg.Project, name))
			if errors.Is(err, engine.ErrNotFound) {
				return output.WithHint(fmt.Errorf("%s has no container", name), "start it: devstack up "+name)
			}
			if err != nil {
				return err
			}
			return p.engine.Logs(c.Context, ctr.ID, tail, c.Bool("follow"),
				output.TerminalSafe(e.streams.Out, e.streams.OutTTY), output.TerminalSafe(e.streams.Err, e.streams.ErrTTY))
		},
	}
}

func envCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "env",
		Usage: "print the connection settings an application needs (REDIS_URL, DATABASE_URL, …)",
		Flags: append(planFlags(),
			&cli.StringFlag{Name: "format", Value: "dotenv", Usage: "dotenv, shell (export lines to eval) or json"},
		),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			format := c.String("format")
			if !slices.Contains(stack.EnvFormats, format) {
				return usagef(fmt.Errorf("--format takes %s, not %q", strings.Join(stack.EnvFormats, ", "), format))
			}
			p, err := e.openProject(c, true, false)
			if err != nil {
				return err
			}
			defer p.close()
			if err := p.lock(c, e); err != nil { // env saves the secrets it makes
				return err
			}
			settings, err := p.plan.Settings("", p.secrets)
			if err != nil {
				return err
			}
			if ep, derr := engine.SystemDiscovery(e.getenv).Find(); derr == nil && ep.Remote() {
				if settings, err = remoteSettings(e, p, ep); err != nil {
					return err
				}
			}
			report, err := stack.NewEnvReport(format, settings)
			if err != nil {
				return err
			}
			if err := p.secrets.Save(); err != nil {
				return err
			}
			return e.printer.Print(report)
		},
	}
}

func planned(cfg *config.Config) []string {
	var names []string
	for _, s := range cfg.Services {
		names = append(names, s.Name)
	}
	return names
}

// remoteSettings are the settings for services on a remote engine's host, with a note on
// stderr of how they are reached from here.
func remoteSettings(e *env, p *project, ep engine.Endpoint) ([]services.Setting, error) {
	reach := stack.Reach(p.plan, ep)
	if reach.Host != "" {
		e.printer.Warn("the services run on %s, published on %s there: these settings reach them at %s", ep.Host, p.plan.Bind, reach.Host)
		return p.plan.Settings(reach.Host, p.secrets)
	}
	e.printer.Warn("the services run on %s, on its %s only: reach them from here through an ssh tunnel, open while you work: %s", ep.Host, p.plan.Bind, reach.Tunnel)
	return p.plan.Settings("", p.secrets)
}
