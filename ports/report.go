package ports

import (
	"context"
	"fmt"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
)

// SuggestStep is the step between suggested offsets: round numbers people remember.
const SuggestStep = 100

// Report is the port plan with a verdict on every port. Its JSON form is documented in
// docs/commands.md.
type Report struct {
	Bind       string      `json:"bind"`
	Offset     int         `json:"offset"`
	Warning    string      `json:"warning,omitempty"` // a bind address off loopback, and where it came from
	OK         bool        `json:"ok"`                // every port is free or ours
	Ports      []Status    `json:"ports"`
	Suggestion *Suggestion `json:"suggestion,omitempty"`
	// EngineError is set when a port is held and the engine did not answer: a port of a
	// container (docker-proxy's) may then be this project's own, and devstack cannot tell.
	EngineError string `json:"engine_error,omitempty"`
	EngineFix   string `json:"engine_fix,omitempty"`
}

// Suggestion is the smallest offset at which every planned port is free.
type Suggestion struct {
	Offset int    `json:"offset"`
	Flag   string `json:"flag"`
}

// Run checks the configuration's plan, and when asked finds an offset that frees it.
func Run(ctx context.Context, cfg *config.Config, owned Owned, suggest bool) (*Report, error) {
	return RunOn(ctx, cfg, owned, suggest, nil)
}

// RunOn is Run with the ports checked by remote, where the engine binds them, when the
// engine runs on another machine; nil checks them here.
func RunOn(ctx context.Context, cfg *config.Config, owned Owned, wantSuggestion bool, remote RemoteProbe) (*Report, error) {
	plan, err := NewPlan(cfg)
	if err != nil {
		return nil, err
	}
	plan.Remote = remote
	c, err := check(ctx, plan, owned)
	if err != nil {
		return nil, err
	}
	statuses := c.statuses
	r := &Report{Bind: plan.Bind, Offset: plan.Offset, Warning: cfg.BindWarning(), OK: true, Ports: statuses}
	if c.engineErr != nil {
		r.EngineError, r.EngineFix = c.engineErr.Error(), output.HintOf(c.engineErr)
	}
	for _, s := range statuses {
		if s.State == Held {
			r.OK = false
		}
	}
	if wantSuggestion {
		if r.Suggestion, err = suggest(ctx, cfg, owned, remote); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// suggest finds the smallest offset, in steps of SuggestStep, at which every planned port
// is free (or already this project's own).
func suggest(ctx context.Context, cfg *config.Config, owned Owned, remote RemoteProbe) (*Suggestion, error) {
	return Next(ctx, cfg, owned, remote, 0)
}

// Next finds the smallest offset from from on, in steps of SuggestStep, at which every
// planned port is free or already this project's own.
func Next(ctx context.Context, cfg *config.Config, owned Owned, remote RemoteProbe, from int) (*Suggestion, error) {
	ours := map[int]Owner{}
	if owned != nil {
		if o, err := owned(ctx); err == nil {
			ours = o
		}
	}
	for offset := from; offset <= cfg.MaxOffset(); offset += SuggestStep {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		plan, err := planAt(cfg, offset)
		if err != nil {
			break // past the last valid port
		}
		plan.Remote = remote
		if usable(ctx, plan, ours) {
			return &Suggestion{Offset: offset, Flag: fmt.Sprintf("--offset %d", offset)}, nil
		}
	}
	return nil, fmt.Errorf("no offset in steps of %d leaves every planned port free on %s", SuggestStep, cfg.Bind)
}

func usable(ctx context.Context, plan *Plan, ours map[int]Owner) bool {
	remote, err := plan.remoteHeld(ctx, plan.Ports)
	if err != nil {
		return false
	}
	for _, p := range plan.Ports {
		if o, ok := ours[p.Host]; ok {
			if o.Project == plan.Project && o.Service == p.Service {
				continue
			}
			return false // another devstack project's, even while paused
		}
		if remote[p.Host] {
			return false
		}
		if plan.Remote != nil {
			continue
		}
		if free, err := probe(plan.Bind, p.Host); err != nil || !free {
			return false
		}
	}
	return true
}
