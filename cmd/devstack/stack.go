package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/bootstrap"
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/enginecache"
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
	engine  Engine
	held    *state.Lock // taken by lock, for commands that write the project's state
}

func (e *env) openProject(ctx context.Context, pv planValues, withEngine bool) (*project, error) {
	return e.open(ctx, pv, withEngine, false)
}

// openToPublish is how up and bootstrap begin: --timeout checked, the project opened
// for publishing and its lock held. The caller closes the project.
func (e *env) openToPublish(ctx context.Context, pv planValues, timeout time.Duration) (*project, error) {
	if timeout < 0 {
		return nil, usagef(errPositive("--timeout", timeout))
	}
	p, err := e.openPublishing(ctx, pv)
	if err != nil {
		return nil, err
	}
	if err := p.lock(ctx, e); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// openPublishing opens the project for a command that publishes ports (up, bootstrap):
// a non-loopback bind the user did not type is refused before the engine is reached.
func (e *env) openPublishing(ctx context.Context, pv planValues) (*project, error) {
	return e.open(ctx, pv, true, true)
}

func (e *env) open(ctx context.Context, pv planValues, withEngine, publish bool) (*project, error) {
	cfg, err := e.loadPlan(pv, publish)
	if err != nil {
		return nil, err
	}
	if err := cfg.NeedProject(); err != nil {
		return nil, usagef(err) // before anything is read from, or written to, the directory
	}
	secrets, err := state.LoadSecrets(cfg.Root)
	if err != nil {
		return nil, err
	}
	p := &project{cfg: cfg, secrets: secrets}
	if err := p.replan(); err != nil {
		return nil, err
	}
	for _, w := range p.plan.Warnings {
		e.printer.Warn("%s", w)
	}
	if withEngine {
		if p.engine, err = e.connect(ctx); err != nil {
			return nil, err
		}
		// The plan above, under the derived identity, checked the configuration before
		// the engine was asked; a checkout that adopted a legacy stack acts as that one.
		if err := p.resolve(ctx); err != nil {
			p.close()
			return nil, err
		}
	}
	return p, nil
}

// resolve gives the project the identity its checkout acts as on the engine (see
// stack.Resolve), planned again when it is not the derived one.
func (p *project) resolve(ctx context.Context) error {
	id, err := stack.Resolve(ctx, p.engine, p.cfg)
	if err != nil {
		return err
	}
	return p.actAs(id)
}

// actAs plans the project again under id, when that is not its identity already.
func (p *project) actAs(id config.Identity) error {
	if id == p.cfg.Identity {
		return nil
	}
	p.cfg.Identity = id
	return p.replan()
}

// replan resolves the project's plan (placement included) from its configuration,
// identity and secrets: the command's one resolution, made again only when the identity
// or the secrets under the lock turn out to be others. Bind and offset are config's
// (flag > environment > remembered > file > default); only stack.Place moves them.
func (p *project) replan() error {
	pl, err := plan.New(p.cfg, p.secrets)
	if err != nil {
		return err
	}
	p.plan = pl
	return nil
}

// refusals is the user's memory of what engines refused (see enginecache); without a
// cache directory up remembers nothing, as before there was one.
func (p *project) refusals() stack.Refusals {
	path, err := enginecache.DefaultPath()
	if err != nil || p.engine == nil {
		return nil
	}
	return enginecache.New(path, p.engine.Identity)
}

func (p *project) close() {
	if p.engine != nil {
		p.engine.Close()
	}
	_ = p.held.Release()
}

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
			return runUp(c.Context, upOptions{env: e, plan: planFrom(c),
				services: c.Args().Slice(), timeout: c.Duration("timeout"), noWait: c.Bool("no-wait"),
				autoOffset: c.Bool("auto-offset")})
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

// upOptions are up's arguments and flags, and the factory it takes the rest from.
type upOptions struct {
	env      *env
	plan     planValues
	services []string
	timeout  time.Duration
	noWait   bool
	// autoOffset moves the project to the next free offset when its ports are held.
	autoOffset bool
}

func runUp(ctx context.Context, opts upOptions) error {
	e := opts.env
	p, err := e.openToPublish(ctx, opts.plan, opts.timeout)
	if err != nil {
		return err
	}
	defer p.close()
	if err := convergeSnapshots(ctx, e, p); err != nil {
		return err
	}
	bindWarning := warnBind(e, p.plan)
	// up is bootstrap's place and up steps: the same workflow, the same placement.
	w := bootstrap.New(p.engine, p.plan, p.secrets)
	move, err := w.Place(ctx, opts.autoOffset)
	if err != nil {
		return planError(err)
	}
	p.plan = w.Plan
	movedLine(e)(move)
	view := progressFor(e.printer)
	report, err := w.Up(ctx, stack.UpOptions{
		Services: opts.services, Timeout: opts.timeout, NoWait: opts.noWait,
		Progress: view, Refusals: p.refusals(), Volumes: state.NewReadyVolumes(p.cfg.Root),
	})
	view.Close()
	if report != nil {
		report.Live = e.printer.Interactive()
	}
	if report == nil && e.printer.Format() != output.JSON {
		return planError(err)
	}
	if report == nil {
		// Up stopped before any service (a port held, an image missing): its report
		// still says so, for a script that reads stdout.
		report = &stack.UpReport{Project: p.plan.Project, Bind: p.plan.Bind, Waited: !opts.noWait,
			Services: []stack.ServiceResult{}, Warnings: append([]string{}, p.plan.Warnings...)}
	}
	if bindWarning != "" {
		report.Warnings = append([]string{bindWarning}, report.Warnings...)
	}
	if err != nil {
		report.OK = false
		report.Error, report.Fix = err.Error(), output.HintOf(err)
	}
	return finish(e, report, err, report.OK)
}

// warnBind says, every time, that a bind the user typed opens the services to the
// network, and returns the warning.
func warnBind(e *env, pl *plan.Plan) string {
	w := pl.Ports.Warning
	if w == "" {
		return ""
	}
	w += "; use --bind 127.0.0.1 unless you mean it"
	e.printer.Warn("%s", w)
	return w
}

// progressFor writes up's steps to stderr as they happen: on a terminal as live lines,
// in a pipe as plain lines, in JSON mode only pulls, as JSON events. Close it before the
// report is printed, so that the report goes below the live lines.
func progressFor(p *output.Printer) *stack.LiveView { return stack.NewLiveView(p) }

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
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "volumes", Usage: "also delete the volumes, and the data in them"},
			&cli.StringFlag{Name: "project", Usage: "take down this project by its labels, without reading devstack.yaml"},
		},
		Action: func(c *cli.Context) error {
			return runDown(c.Context, downOptions{env: e, services: c.Args().Slice(), volumes: c.Bool("volumes"), project: c.String("project")})
		},
	}
}

// downOptions are down's arguments and flags, and the factory it takes the rest from.
type downOptions struct {
	env      *env
	services []string
	volumes  bool
	project  string // --project: by labels only
}

func runDown(ctx context.Context, opts downOptions) error {
	e := opts.env
	if opts.project != "" {
		if !config.ValidProjectName(opts.project) {
			return usagef(fmt.Errorf("--project %q is not a project name or identity devstack makes (lower-case letters, digits, _ . -)", opts.project))
		}
		return downByLabels(ctx, opts, func(eng Engine) (*stack.StackRef, error) {
			stacks, err := stack.StacksNamed(ctx, eng, opts.project)
			if err != nil {
				return nil, err
			}
			s, err := stack.PickStack(opts.project, stacks)
			if err != nil {
				return nil, usagef(err)
			}
			return s, nil
		}, opts.project)
	}
	p, err := e.openProject(ctx, planValues{}, true)
	var ce *config.Error
	if errors.As(err, &ce) {
		// The moment a user most needs down is when the configuration is broken: what
		// devstack made carries the checkout's real path in its labels, and that is
		// enough to find this checkout's stack, and no other.
		dir := fallbackDir(ce)
		e.printer.Warn("%s; taking down this checkout's stack (%s) by its labels (another one: devstack down --project NAME)", err, dir)
		return downByLabels(ctx, opts, func(eng Engine) (*stack.StackRef, error) {
			stacks, err := stack.StacksOf(ctx, eng, dir)
			if err != nil || len(stacks) == 0 {
				return nil, err
			}
			return &stacks[0], nil
		}, config.ProjectName(filepath.Base(dir)))
	}
	if err != nil {
		return err
	}
	defer p.close()
	if err := p.lock(ctx, e); err != nil {
		return err
	}
	only := opts.services
	for _, name := range only {
		if _, err := services.Lookup(name); err != nil {
			if _, planned := p.cfg.Service(name); !planned {
				return usagef(err)
			}
		}
	}
	ready := state.NewReadyVolumes(p.cfg.Root)
	// A volume kept by this down must not be taken for half-made by the next up.
	if !opts.volumes {
		unfinished, err := stack.RecordReady(ctx, p.engine, p.plan, stack.ReadyOptions{
			Only: only, Memory: ready, Grace: stack.FirstStartGrace,
			Waiting: func(services []string, grace time.Duration) {
				// A note, which JSON mode carries too: a script should not see a silent pause.
				e.printer.Note("waiting up to %s for %s to finish a first start: stopped half-way, the data would be half-made",
					grace, strings.Join(services, ", "))
			},
		})
		switch {
		case errors.Is(err, context.Canceled):
			return err
		case err != nil && !errors.As(err, new(*engine.UnreachableError)):
			// An engine that does not answer is down's own error, said once, below.
			e.printer.Warn("could not record which volumes became ready: %v", err)
		}
		for _, u := range unfinished {
			e.printer.Warn("%s did not finish its first start (%s): stopped now, its data may be half-made, and the next up will say so", u.Service, u.Reason)
		}
	}
	report, err := stack.Down(ctx, p.engine, p.cfg, opts.volumes, only)
	if report == nil {
		return err
	}
	// What was loaded into a removed volume is no longer loaded anywhere, and a volume
	// made again under its name starts a new record.
	if ferr := errors.Join(state.ForgetVolumes(p.cfg.Root, report.Volumes), ready.Forget(report.Volumes)); err == nil {
		err = ferr
	}
	return finish(e, report, err, true)
}

// fallbackDir is the checkout a broken devstack.yaml belongs to, as a real path: the
// file's directory, or the working directory's when the error is not in a file.
func fallbackDir(ce *config.Error) string {
	dir, _ := os.Getwd()
	if filepath.IsAbs(ce.File) {
		dir = filepath.Dir(ce.File)
	} else if ce.File != "" && ce.File != "environment" {
		if abs, err := filepath.Abs(ce.File); err == nil {
			dir = filepath.Dir(abs)
		}
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return dir
}

// downByLabels is down without a configuration: it removes what carries the identity of
// the stack find picks (nil: none found), and never a stack of another checkout that
// only shares the name. Fixture records are left as they are; they name the volume they
// were loaded into, so a new volume reads as not loaded anyway.
func downByLabels(ctx context.Context, opts downOptions, find func(Engine) (*stack.StackRef, error), asked string) error {
	e := opts.env
	eng, err := e.connect(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	s, err := find(eng)
	if err != nil {
		return err
	}
	if s == nil {
		report := &stack.DownReport{Project: asked, Containers: []string{}, Volumes: []string{}}
		err = output.WithHint(fmt.Errorf("nothing of project %s was found to take down", asked),
			"name the project or a checkout's identity: devstack down --project NAME "+
				"(docker ps -a --format '{{.Label \"dev.devstack.name\"}} {{.Label \"dev.devstack.project\"}} {{.Label \"dev.devstack.checkout\"}}' lists them)")
		return finish(e, report, err, true)
	}
	report, err := stack.Down(ctx, eng, s.Config(), opts.volumes, opts.services)
	if report == nil {
		return err
	}
	return finish(e, report, err, true)
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
			return runStatus(c.Context, statusOptions{env: e, plan: planFrom(c)})
		},
	}
}

// statusOptions are status's flags, and the factory it takes the rest from.
type statusOptions struct {
	env  *env
	plan planValues
}

func runStatus(ctx context.Context, opts statusOptions) error {
	e := opts.env
	p, err := e.openProject(ctx, opts.plan, true)
	if err != nil {
		return err
	}
	defer p.close()
	if err := convergeSnapshots(ctx, e, p); err != nil {
		return err
	}
	report, err := stack.StatusOn(ctx, p.engine, p.plan)
	if err != nil {
		return err
	}
	return finish(e, report, nil, report.OK)
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
			return runLogs(c.Context, logsOptions{env: e, service: c.Args().First(), tail: c.String("tail"), follow: c.Bool("follow")})
		},
	}
}

// logsOptions are logs's argument and flags, and the factory it takes the rest from.
type logsOptions struct {
	env     *env
	service string
	tail    string
	follow  bool
}

func runLogs(ctx context.Context, opts logsOptions) error {
	e := opts.env
	tail := opts.tail
	if n, err := strconv.Atoi(tail); tail != "all" && (err != nil || n < 0) {
		return usagef(fmt.Errorf("--tail takes a number of lines or all, not %q", tail))
	}
	p, err := e.openProject(ctx, planValues{}, true)
	if err != nil {
		return err
	}
	defer p.close()
	name := opts.service
	if _, ok := p.cfg.Service(name); !ok {
		return usagef(output.WithHint(fmt.Errorf("service %q is not planned (planned: %s)", name, strings.Join(planned(p.cfg), ", ")),
			"name one of those, or add "+name+" under services: in "+config.FileName))
	}
	stdout, stderr, done := e.printer.LogStreams(name)
	err = stack.Logs(ctx, p.engine, p.plan, name, stack.LogsOptions{Tail: tail, Follow: opts.follow, Stdout: stdout, Stderr: stderr})
	if derr := done(); err == nil {
		err = derr
	}
	return err
}

func envCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "env",
		Usage: "print the connection settings an application needs (REDIS_URL, DATABASE_URL, …)",
		Flags: append(planFlags(),
			&cli.StringFlag{Name: "format", Value: "dotenv", Usage: "dotenv, shell (export lines to eval), json, or frappe (keys for a bench's sites/common_site_config.json, as JSON)"},
		),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return runEnv(c.Context, envOptions{env: e, plan: planFrom(c), format: c.String("format")})
		},
	}
}

// envOptions are env's flags, and the factory it takes the rest from.
type envOptions struct {
	env    *env
	plan   planValues
	format string
}

func runEnv(ctx context.Context, opts envOptions) error {
	e := opts.env
	format := opts.format
	if !slices.Contains(stack.EnvFormats, format) {
		return usagef(fmt.Errorf("--format takes %s, not %q", strings.Join(stack.EnvFormats, ", "), format))
	}
	p, err := e.openProject(ctx, opts.plan, false)
	if err != nil {
		return err
	}
	defer p.close()
	if err := p.lock(ctx, e); err != nil { // env saves the secrets it makes
		return err
	}
	// Frappe's keys (a file's, not the environment's) come on their own.
	settingsFor := func(host string) ([]services.Setting, error) {
		if f, ok := services.LookupFramework(format); ok && !f.Env {
			return p.plan.FrameworkSettings(f.Name, host)
		}
		return p.plan.Settings(host, p.secrets)
	}
	settings, err := settingsFor("")
	if err != nil {
		return err
	}
	if ep, derr := e.discover(); derr == nil && ep.Remote() {
		if settings, err = remoteSettings(e, p, ep, settingsFor); err != nil {
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
func remoteSettings(e *env, p *project, ep engine.Endpoint, settingsFor func(host string) ([]services.Setting, error)) ([]services.Setting, error) {
	reach := stack.Reach(p.plan, ep)
	if reach.Host != "" {
		e.printer.Warn("the services run on %s, published on %s there: these settings reach them at %s", ep.Host, p.plan.Bind, reach.Host)
		return settingsFor(reach.Host)
	}
	e.printer.Warn("the services run on %s, on its %s only: reach them from here through an ssh tunnel, open while you work: %s", ep.Host, p.plan.Bind, reach.Tunnel)
	return settingsFor("")
}
