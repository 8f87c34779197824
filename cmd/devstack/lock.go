package main

import (
	"context"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/state"
)

// takeLock holds the project's lock for a command that writes its state (secrets, fixture
// records, .env, devstack.yaml), saying so on stderr while another devstack holds it.
func (e *env) takeLock(ctx context.Context, root string) (*state.Lock, error) {
	return state.LockProject(ctx, root, state.LockOptions{Waiting: func(pid int) {
		if pid > 0 {
			e.printer.Warn("waiting for devstack (pid %d) to finish in this project", pid)
		} else {
			e.printer.Warn("waiting for another devstack to finish in this project")
		}
	}})
}

// lock takes the project's lock, reads its secrets again under it (another command may
// have saved new ones while this one waited) and resolves the plan from them, so that
// what this command saves and uses are the credentials every other command agrees on.
func (p *project) lock(ctx context.Context, e *env) error {
	l, err := e.takeLock(ctx, p.cfg.Root)
	if err != nil {
		return err
	}
	p.held = l
	secrets, err := state.LoadSecrets(p.cfg.Root)
	if err != nil {
		return err
	}
	pl, err := plan.New(p.cfg, secrets)
	if err != nil {
		return err
	}
	p.secrets, p.plan = secrets, pl
	return nil
}
