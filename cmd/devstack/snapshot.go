package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	snap "github.com/devstack-dev/devstack/snapshot"
	"github.com/devstack-dev/devstack/state"
)

func snapshotCommand(e *env) *cli.Command {
	name := func(c *cli.Context) (string, error) {
		if c.NArg() != 1 {
			return "", usagef(fmt.Errorf("%s takes one snapshot NAME", c.Command.FullName()))
		}
		n := c.Args().First()
		if err := grammar.SnapshotName(n); err != nil {
			return "", usagef(output.WithHint(fmt.Errorf("snapshot name: %w", err), grammar.SnapshotFix))
		}
		return n, nil
	}
	return &cli.Command{
		Name:  "snapshot",
		Usage: "save, list, restore and remove snapshots of every stateful service's data",
		Description: "A snapshot holds the data of every service with a volume, taken at one point: the running ones " +
			"are stopped, all of them before any is copied, and started again after. Snapshots are kept per checkout " +
			"under $XDG_DATA_HOME/devstack/snapshots (~/.local/share/…), never in the repository. See docs/snapshots.md.",
		Subcommands: []*cli.Command{
			{
				Name: "save", Usage: "save every stateful service's data as snapshot NAME", ArgsUsage: "NAME",
				Action: func(c *cli.Context) error {
					n, err := name(c)
					if err != nil {
						return err
					}
					return runSnapshot(c.Context, e, func(ctx context.Context, eng snap.Engine, p *project, opts snap.Options) (output.Report, error) {
						return snap.Save(ctx, eng, p.plan, n, opts)
					})
				},
			},
			{
				Name: "restore", Usage: "replace the stateful services' data with snapshot NAME's (verified first)", ArgsUsage: "NAME",
				Action: func(c *cli.Context) error {
					n, err := name(c)
					if err != nil {
						return err
					}
					return runSnapshot(c.Context, e, func(ctx context.Context, eng snap.Engine, p *project, opts snap.Options) (output.Report, error) {
						return snap.Restore(ctx, eng, p.plan, n, opts)
					})
				},
			},
			{
				Name: "list", Usage: "list this checkout's snapshots: name, time, size, services, images, git branch/commit",
				Action: func(c *cli.Context) error {
					if c.NArg() != 0 {
						return usagef(fmt.Errorf("snapshot list takes no argument"))
					}
					return runSnapshotStore(c.Context, e, func(s *snap.Store) (output.Report, error) {
						l, err := s.List()
						return &snap.ListReport{Dir: s.Dir, Snapshots: l}, err
					})
				},
			},
			{
				Name: "rm", Usage: "remove snapshot NAME", ArgsUsage: "NAME",
				Action: func(c *cli.Context) error {
					n, err := name(c)
					if err != nil {
						return err
					}
					return runSnapshotStore(c.Context, e, func(s *snap.Store) (output.Report, error) {
						return &snap.RemoveReport{Name: n, Removed: true}, s.Remove(n)
					})
				},
			},
			{
				Name: "export", Usage: "copy snapshot NAME to FILE, one portable capsule (verified)", ArgsUsage: "NAME FILE",
				Action: func(c *cli.Context) error {
					if c.NArg() != 2 {
						return usagef(fmt.Errorf("snapshot export takes NAME and FILE"))
					}
					n := c.Args().Get(0)
					if err := grammar.SnapshotName(n); err != nil {
						return usagef(output.WithHint(fmt.Errorf("snapshot name: %w", err), grammar.SnapshotFix))
					}
					return runSnapshotStore(c.Context, e, func(s *snap.Store) (output.Report, error) { return s.Export(n, c.Args().Get(1)) })
				},
			},
			{
				Name: "import", Usage: "verify capsule FILE (an untrusted input) and add it as a snapshot", ArgsUsage: "FILE",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usagef(fmt.Errorf("snapshot import takes one FILE"))
					}
					return runSnapshotStore(c.Context, e, func(s *snap.Store) (output.Report, error) { return s.Import(c.Args().First()) })
				},
			},
		},
	}
}

// runSnapshot opens the project as up does (its lock held), finishes what a killed
// snapshot command left, then runs act with the project's store and progress.
func runSnapshot(ctx context.Context, e *env, act func(context.Context, snap.Engine, *project, snap.Options) (output.Report, error)) error {
	p, err := e.openToPublish(ctx, planValues{}, 0)
	if err != nil {
		return err
	}
	defer p.close()
	// The archive API is the engine client's; a stand-in engine has none.
	eng, ok := p.engine.(snap.Engine)
	if !ok {
		return fmt.Errorf("this engine cannot copy volumes")
	}
	store, err := snap.DefaultStore(p.plan.Identity.ID, e.getenv)
	if err != nil {
		return err
	}
	opts := snapshotOptions(p, store)
	if err := converge(ctx, e, eng, p, opts); err != nil {
		return err
	}
	if e.printer.Interactive() {
		opts.Progress = snap.NewProgress("copied", e.printer.Live)
	}
	report, err := act(ctx, eng, p, opts)
	e.printer.EndLive()
	if err != nil {
		return planError(err)
	}
	return e.printer.Print(report)
}

// runSnapshotStore runs act on this checkout's store: no engine, no lock.
func runSnapshotStore(ctx context.Context, e *env, act func(*snap.Store) (output.Report, error)) error {
	p, err := e.openProject(ctx, planValues{}, false)
	if err != nil {
		return err
	}
	defer p.close()
	store, err := snap.DefaultStore(p.plan.Identity.ID, e.getenv)
	if err != nil {
		return err
	}
	report, err := act(store)
	if err != nil {
		var ce *capsule.Error
		if errors.As(err, &ce) {
			return usagef(err) // a hostile or broken capsule is bad input: exit 2
		}
		return err
	}
	return e.printer.Print(report)
}

func snapshotOptions(p *project, store *snap.Store) snap.Options {
	ready := state.NewReadyVolumes(p.cfg.Root)
	return snap.Options{Store: store, Secrets: p.secrets, Version: buildVersion(), Volumes: ready,
		Replan: func() (*plan.Plan, error) { err := p.replan(); return p.plan, err },
		Forget: func(vols []string) { _ = state.ForgetVolumes(p.cfg.Root, vols); _ = ready.Forget(vols) },
	}
}

func converge(ctx context.Context, e *env, eng snap.Engine, p *project, opts snap.Options) error {
	what, err := snap.Converge(ctx, eng, p.plan, opts)
	if what != "" {
		e.printer.Warn("%s", what)
	}
	return err
}

// convergeSnapshots finishes what a killed snapshot save or restore left (its journal in
// .devstack), for up and status: the services it stopped run again, a half-written file
// is gone. Without a journal it does nothing and takes no lock.
func convergeSnapshots(ctx context.Context, e *env, p *project) error {
	if j, err := state.LoadJournal(p.cfg.Root); err != nil || j == nil {
		return err
	}
	eng, ok := p.engine.(snap.Engine)
	if !ok {
		return nil
	}
	if p.held == nil {
		if err := p.lock(ctx, e); err != nil {
			return err
		}
	}
	store, err := snap.DefaultStore(p.plan.Identity.ID, e.getenv)
	if err != nil {
		return err
	}
	return converge(ctx, e, eng, p, snapshotOptions(p, store))
}
