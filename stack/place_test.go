package stack

import (
	"context"
	"net"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/internal/testenv"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// An up of some services remembers where it placed them when nothing else of the project
// runs: on a fresh project, `up redis --offset 900` is where the project runs now, and env,
// status and ports read the remembered placement. When another service runs, its
// placement stays the project's.
func TestPartialUpRemembersPlacementWhenAlone(t *testing.T) {
	tests := []struct {
		name       string
		other      string // state of postgres's container; "" for none
		wantMoved  bool
		wantOffset int
	}{
		{name: "fresh project", wantMoved: true, wantOffset: 900},
		{name: "postgres exited", other: "exited", wantMoved: true, wantOffset: 900},
		{name: "postgres running", other: "running"},
		{name: "postgres paused", other: "paused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := configtest.Load(t, "project: p\noffset: 900\nservices:\n  redis:\n  postgres:\n")
			pl := planFor(t, cfg)
			withProbe(pl, func(string) error { return nil })
			f := enginetest.New()
			for _, u := range pl.Units {
				f.LocalImage(u.Spec.Image, nil)
			}
			if tt.other != "" {
				pg, _ := pl.Unit("postgres")
				f.Containers[pg.Spec.Name] = &engine.Container{ID: "pg", Name: pg.Spec.Name, State: tt.other, Labels: plan.Labels(pl.Identity, "postgres")}
			}
			if _, err := Up(context.Background(), f, pl, fixedSecrets{}, UpOptions{Services: []string{"redis"}}); err != nil {
				t.Fatal(err)
			}
			got, err := state.LoadPlacement(cfg.Root)
			if err != nil {
				t.Fatal(err)
			}
			if (got != nil) != tt.wantMoved {
				t.Fatalf("remembered placement %+v; want one: %v", got, tt.wantMoved)
			}
			if got != nil && got.Offset != tt.wantOffset {
				t.Errorf("remembered offset %d, want %d", got.Offset, tt.wantOffset)
			}
		})
	}
}

// Place keeps the plan unless asked to move it; asked, it moves a project whose port is
// held to the next offset in steps of 100 where every port is free, and says so, and the
// moved plan is the one every step reads: its ports, its spec and its offset's origin.
func TestPlaceMovesOnlyWhenAskedAndHeld(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  redis:\n")
	pl := planFor(t, cfg)
	held, err := net.Listen("tcp", "127.0.0.1:16579")
	if err != nil {
		testenv.Missing(t, "127.0.0.1:16579 is not free here: %v", err)
	}
	defer held.Close()
	f := enginetest.New()

	same, m, err := Place(context.Background(), f, pl, fixedSecrets{}, PlaceOptions{})
	if err != nil || m != nil || same != pl {
		t.Fatalf("without AutoOffset: plan %p (want %p), move %+v, err %v", same, pl, m, err)
	}

	moved, m, err := Place(context.Background(), f, pl, fixedSecrets{}, PlaceOptions{AutoOffset: true})
	if err != nil {
		t.Fatal(err)
	}
	if m == nil || m.From != 10000 || m.To < 10100 || (m.To-10000)%ports.SuggestStep != 0 {
		t.Fatalf("move %+v; want from 10000 to a step of 100 above", m)
	}
	if moved.Offset != m.To || moved.Ports.Offset != m.To || moved.Ports.OffsetFrom != config.FromState {
		t.Errorf("moved plan at %d (ports at %d, from %q); want %d, remembered", moved.Offset, moved.Ports.Offset, moved.Ports.OffsetFrom, m.To)
	}
	u, _ := moved.Unit("redis")
	if want := 6579 + m.To; moved.Ports.Ports[0].Host != want || u.Spec.Ports[0].HostPort != want {
		t.Errorf("redis planned on %d, its spec on %d; want both %d", moved.Ports.Ports[0].Host, u.Spec.Ports[0].HostPort, want)
	}
	if pl.Offset != 10000 || pl.Ports.Ports[0].Host != 16579 {
		t.Errorf("the plan placed first changed: offset %d, redis %d", pl.Offset, pl.Ports.Ports[0].Host)
	}
}
