package main

import (
	"context"

	"github.com/devstack-dev/devstack/stack"
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
	p.secrets = secrets
	if err := p.replan(); err != nil {
		return err
	}
	if p.engine == nil {
		return nil
	}
	// Under the lock, a legacy stack of the project's name is adopted by the checkout
	// that proves it made it, and refused, with the reason, to any other.
	id, refusal, err := stack.Adopt(ctx, p.engine, p.plan)
	if err != nil {
		return err
	}
	if refusal != nil {
		e.printer.Warn("%s", refusal)
	}
	if id.Legacy && !p.cfg.Identity.Legacy {
		e.printer.Note("adopted the stack an earlier devstack made for project %s: its volumes' credentials are this checkout's; it keeps its names (%s-SERVICE) and is this checkout's alone",
			id.Name, id.Name)
	}
	return p.actAs(id)
}
