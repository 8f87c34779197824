package snapshot

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// Converge finishes what a killed save or restore left, from its journal in .devstack:
// the helper containers and a half-written snapshot file are removed, a restore that had
// not switched its pointer loses its new volumes (the old data stays live), and the
// services it stopped are started again. It says what it did ("" when there was no
// journal). Run it under the project's lock, before acting on the stack; the lock also
// means the journal's writer is gone.
func Converge(ctx context.Context, eng Engine, pl *plan.Plan, opts Options) (string, error) {
	root := pl.Config.Root
	j, err := state.LoadJournal(root)
	if err != nil || j == nil {
		return "", err
	}
	var errs []error
	if objs, err := eng.Labelled(ctx, helperLabel, "snapshot"); err == nil {
		for _, o := range objs {
			if o.Kind == "container" && o.Labels[engine.LabelProject] == pl.Identity.ID {
				if err := eng.Remove(ctx, o.Name); err != nil {
					errs = append(errs, err)
				}
			}
		}
	} else {
		errs = append(errs, err)
	}
	what := ""
	switch j.Op {
	case "save":
		if j.Temp != "" && opts.Store != nil && isPartialIn(opts.Store.Dir, j.Temp) {
			if err := os.Remove(j.Temp); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		what = fmt.Sprintf("an interrupted snapshot save of %s: its partial file is removed, earlier snapshots are untouched", j.Name)
	case "restore":
		if j.Switched {
			what = fmt.Sprintf("an interrupted restore of %s had switched to the snapshot's data: the stack keeps the new data", j.Name)
			break
		}
		for _, v := range j.NewVolumes {
			if err := eng.RemoveVolume(ctx, v); err != nil && !errors.Is(err, engine.ErrNotFound) {
				errs = append(errs, err)
			}
		}
		what = fmt.Sprintf("an interrupted restore of %s had not switched: the stack keeps its old data", j.Name)
	}
	// Only services still planned: one taken out of devstack.yaml since is not up's to start.
	var stopped []string
	for _, svc := range j.Stopped {
		if _, ok := pl.Unit(svc); ok {
			stopped = append(stopped, svc)
		}
	}
	j.Stopped = stopped
	if len(errs) == 0 {
		if _, err := restart(ctx, eng, pl, j.Stopped, opts); err != nil {
			errs = append(errs, err)
		} else if len(j.Stopped) > 0 {
			what += "; started again: " + joinNames(j.Stopped)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return what, fmt.Errorf("finish %s: %w", what, err)
	}
	return what, state.ClearJournal(root)
}

// isPartialIn reports whether p is a partial snapshot file in dir: the journal is the
// checkout's, but nothing else is removed on its word.
func isPartialIn(dir, p string) bool {
	return filepathDir(p) == dir && containsPartial(p)
}
