package stack

import (
	"context"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// Remembered is where the project's last up placed it, for config.Options.Remembered.
func Remembered(root string) (*config.Placement, error) { return state.LoadPlacement(root) }

// Move is an offset chosen for the project because its planned ports were held.
type Move struct {
	From   int      `json:"from"`
	To     int      `json:"to"`
	Holder []string `json:"held_by"` // who held the ports at From
}

// Line is the one line that says so.
func (m *Move) Line() string {
	return fmt.Sprintf("ports at offset %d are held (%s): using offset %d, remembered for the next commands",
		m.From, strings.Join(m.Holder, "; "), m.To)
}

// PlaceOptions say how a command that publishes may place the project.
type PlaceOptions struct {
	// AutoOffset moves the project to the next free offset when its planned ports are held.
	AutoOffset bool
}

// Place is the one constructor of a command's placement: the plan as configuration
// resolved it (flag > environment > remembered placement > file > default), checked
// against what the engine observes when asked to move, and moved then to the next offset
// above its own, in steps of ports.SuggestStep, at which every planned port is free or
// already this project's. Its ports are checked through the engine where it binds them
// (on its own host, for a remote engine). Everything after reads the plan it returns; the
// Move is nil when the project stays where it was planned.
func Place(ctx context.Context, eng Engine, pl *plan.Plan, secrets plan.Secrets, opts PlaceOptions) (*plan.Plan, *Move, error) {
	if !opts.AutoOffset {
		return pl, nil, nil
	}
	probes := ProbesOf(eng)
	r, err := SurveyPorts(ctx, pl.Ports, probes, false)
	if err != nil {
		return nil, nil, err
	}
	if r.OK {
		return pl, nil, nil
	}
	from := *pl.Ports
	from.Remote = probes.Remote
	next, err := ports.Next(ctx, &from, probes.Owned, pl.Offset+ports.SuggestStep)
	if err != nil {
		return nil, nil, fmt.Errorf("the planned ports are held, and no higher offset frees them all: %w", err)
	}
	m := &Move{From: pl.Offset, To: next.Offset}
	for _, s := range r.Ports {
		if s.State == ports.Held {
			m.Holder = append(m.Holder, fmt.Sprintf("%d by %s", s.Host, s.Holder))
		}
	}
	// The move is remembered by up, so that later commands find the project there.
	cfg := *pl.Config
	cfg.Offset, cfg.OffsetFrom = m.To, config.FromState
	moved, err := plan.New(&cfg, secrets)
	if err != nil {
		return nil, nil, err
	}
	return moved, m, nil
}

// noOtherRunning reports whether no service of the project but those of units has a
// running (or paused, restarting) container: a partial up of such a project decides where
// it runs.
func noOtherRunning(ctx context.Context, eng Engine, pl *plan.Plan, units []plan.Unit) (bool, error) {
	all, err := eng.List(ctx, pl.Identity.ID)
	if err != nil {
		return false, fmt.Errorf("list the project's containers: %w", err)
	}
	selected := map[string]bool{}
	for _, u := range units {
		selected[u.Name()] = true
	}
	for _, c := range all {
		if !selected[c.Labels[engine.LabelService]] && c.State != "exited" && c.State != "created" && c.State != "dead" {
			return false, nil
		}
	}
	return true, nil
}

// remember records where the project runs, before its containers are made there.
func remember(pl *plan.Plan) error {
	return state.SavePlacement(pl.Config.Root, config.Placement{Offset: pl.Offset, Bind: pl.Bind,
		PlannedOffset: pl.Config.PlannedOffset, PlannedBind: pl.Config.PlannedBind})
}
