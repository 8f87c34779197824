package stack

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// LogsOptions say how much of a service's log to show, and where.
type LogsOptions struct {
	Tail           string // how many of the last lines, or "all"
	Follow         bool   // keep writing new lines until ctx ends
	Stdout, Stderr io.Writer
}

// Logs writes the log of the planned service's container; a service with no container
// is an error that says how to make one.
func Logs(ctx context.Context, eng Engine, pl *plan.Plan, service string, opts LogsOptions) error {
	ctr, err := eng.Inspect(ctx, plan.ContainerName(pl.Identity.ID, service))
	if errors.Is(err, engine.ErrNotFound) {
		return output.WithHint(fmt.Errorf("%s has no container", service), "start it: devstack up "+service)
	}
	if err != nil {
		return err
	}
	return eng.Logs(ctx, ctr.ID, opts.Tail, opts.Follow, opts.Stdout, opts.Stderr)
}
