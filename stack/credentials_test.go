package stack

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// New secrets over old data are refused before anything is made; an older volume,
// unlabelled, is not judged.
func TestNewSecretsOverOldVolumesAreRefused(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 41000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	pl := planFor(t, cfg)
	pg, _ := pl.Unit("postgres")
	if pg.Credentials == "" {
		t.Fatal("postgres is given generated credentials, yet the plan identifies none")
	}
	tests := []struct {
		name        string
		credentials string // on the postgres volume; "-" for no volume
		wantRefused bool
	}{
		{"no volume yet", "-", false},
		{"same credentials", pg.Credentials, false},
		{"volume from before the label", "", false},
		{"other credentials", "0123456789abcdef", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			f.LocalImage("pg17", map[string]string{"PG_MAJOR": "17"})
			f.LocalImage("redis:7", nil)
			if tt.credentials != "-" {
				l := plan.Labels("p", "postgres")
				if tt.credentials != "" {
					l[engine.LabelCredentials] = tt.credentials
				}
				l[engine.LabelMajor] = "17"
				f.VolumeSet["p-postgres-data"] = &engine.Volume{Name: "p-postgres-data", Labels: l}
			}
			_, err := Up(context.Background(), f, planFor(t, cfg), fixedSecrets{}, UpOptions{NoWait: true})
			var nse *NewSecretsError
			if got := errors.As(err, &nse); got != tt.wantRefused {
				t.Fatalf("refused = %v (err %v), want %v", got, err, tt.wantRefused)
			}
			if !tt.wantRefused {
				return
			}
			if calls := f.CallLog(); calls != "" {
				t.Errorf("refused, yet it did: %s", calls)
			}
			if !strings.Contains(nse.Hint(), "restore .devstack/secrets.env or reset these services: devstack down --volumes postgres ") {
				t.Errorf("hint = %q", nse.Hint())
			}
		})
	}
}

// A volume whose first start never reached ready is named before up waits, and only
// that one: judged by the volume's own id, which stays put when the engine's CreatedAt
// moves (Docker 20.10 moved it a second on the first mount, and up then waited out the
// timeout on a half-made PostgreSQL).
func TestCheckNeverReady(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 41000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	pl := planFor(t, cfg)
	pg, _ := pl.Unit("postgres")
	redis, _ := pl.Unit("redis")
	units := []plan.Unit{pg, redis}
	const made, later = "2026-11-26T15:25:41Z", "2026-11-26T15:25:42Z"
	tests := []struct {
		name      string
		volume    bool   // the postgres volume exists
		id        string // its LabelVolumeID; "" for a volume from before ids
		createdAt string // what the engine reports now
		state     string // the postgres container's; "" for none
		record    string // "never", "ready" or "" (not recorded), for the instance below
		recordFor string // the instance recorded
		noMemory  bool
		wantNamed bool
	}{
		{name: "no volume", state: "", wantNamed: false},
		{name: "made, never ready, container exited", volume: true, id: "a1", createdAt: made, state: "exited", record: "never", recordFor: "id:a1", wantNamed: true},
		{name: "CreatedAt moved since it was recorded", volume: true, id: "a1", createdAt: later, state: "exited", record: "never", recordFor: "id:a1", wantNamed: true},
		{name: "container dead", volume: true, id: "a1", createdAt: made, state: "dead", record: "never", recordFor: "id:a1", wantNamed: true},
		{name: "no container left", volume: true, id: "a1", createdAt: made, state: "", record: "never", recordFor: "id:a1", wantNamed: true},
		{name: "still initialising: running", volume: true, id: "a1", createdAt: made, state: "running", record: "never", recordFor: "id:a1", wantNamed: false},
		{name: "paused mid-init", volume: true, id: "a1", createdAt: made, state: "paused", record: "never", recordFor: "id:a1", wantNamed: false},
		{name: "became ready once", volume: true, id: "a1", createdAt: made, state: "exited", record: "ready", recordFor: "id:a1", wantNamed: false},
		{name: "removed and made again under the name", volume: true, id: "b2", createdAt: made, state: "exited", record: "never", recordFor: "id:a1", wantNamed: false},
		{name: "not recorded (record lost)", volume: true, id: "a1", createdAt: made, state: "exited", wantNamed: false},
		{name: "volume from before ids, never ready", volume: true, createdAt: made, state: "exited", record: "never", recordFor: made, wantNamed: true},
		{name: "no memory given", volume: true, id: "a1", createdAt: made, state: "exited", record: "never", recordFor: "id:a1", noMemory: true, wantNamed: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			if tt.volume {
				l := plan.Labels("p", "postgres")
				if tt.id != "" {
					l[engine.LabelVolumeID] = tt.id
				}
				f.VolumeSet[pg.Spec.Volume] = &engine.Volume{Name: pg.Spec.Volume, Labels: l, CreatedAt: tt.createdAt}
			}
			have := make([]*engine.Container, len(units))
			if tt.state != "" {
				have[0] = &engine.Container{Name: pg.Spec.Name, State: tt.state}
			}
			memory := state.NewReadyVolumes(t.TempDir())
			switch tt.record {
			case "never", "ready":
				if err := memory.Created(pg.Spec.Volume, tt.recordFor); err != nil {
					t.Fatal(err)
				}
				if tt.record == "ready" {
					if err := memory.Ready(pg.Spec.Volume, tt.recordFor); err != nil {
						t.Fatal(err)
					}
				}
			}
			var mem VolumeMemory = memory
			if tt.noMemory {
				mem = nil
			}
			instances, err := checkNeverReady(context.Background(), f, units, have, mem)
			var nre *NeverReadyError
			if named := errors.As(err, &nre); named != tt.wantNamed {
				t.Fatalf("named = %v (err %v), want %v", named, err, tt.wantNamed)
			}
			if tt.wantNamed {
				if strings.Join(nre.Services, ",") != "postgres" || strings.Join(nre.Volumes, ",") != pg.Spec.Volume {
					t.Errorf("named %v / %v, want only postgres and its volume", nre.Services, nre.Volumes)
				}
				if !strings.Contains(nre.Hint(), "devstack down --volumes postgres ") {
					t.Errorf("hint = %q", nre.Hint())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := f.VolumeSet[pg.Spec.Volume]; tt.volume && !tt.noMemory && instances["postgres"] != want.Instance() {
				t.Errorf("instance = %q, want %q", instances["postgres"], want.Instance())
			}
		})
	}
}
