package stack

import (
	"context"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
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
