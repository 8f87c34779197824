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
	plan, err := NewPlan(cfg)
	if err != nil {
		return nil, err
	}
	return Survey(ctx, plan, owned, suggest)
}

// Survey checks every port of the plan (where plan.Remote says, for a remote engine), and
// when asked finds an offset that frees them all.
func Survey(ctx context.Context, plan *Plan, owned Owned, wantSuggestion bool) (*Report, error) {
	c, err := check(ctx, plan, owned)
	if err != nil {
		return nil, err
	}
	statuses := c.statuses
	r := &Report{Bind: plan.Bind, Offset: plan.Offset, Warning: plan.Warning, OK: true, Ports: statuses}
	if c.engineErr != nil {
		r.EngineError, r.EngineFix = c.engineErr.Error(), output.HintOf(c.engineErr)
	}
	for _, s := range statuses {
		if s.State == Held {
			r.OK = false
		}
	}
	if wantSuggestion {
		if r.Suggestion, err = Next(ctx, plan, owned, 0); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Next finds the smallest offset from from on, in steps of SuggestStep, at which every
// port of the plan is free or already this project's own.
func Next(ctx context.Context, plan *Plan, owned Owned, from int) (*Suggestion, error) {
	ours := map[int]Owner{}
	if owned != nil {
		if o, err := owned(ctx); err == nil {
			ours = o
		}
	}
	for offset := from; offset <= plan.MaxOffset(); offset += SuggestStep {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		at, err := plan.At(offset)
		if err != nil {
			break // past the last valid port
		}
		if usable(ctx, at, ours) {
			return &Suggestion{Offset: offset, Flag: fmt.Sprintf("--offset %d", offset)}, nil
		}
	}
	return nil, fmt.Errorf("no offset in steps of %d leaves every planned port free on %s", SuggestStep, plan.Bind)
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
