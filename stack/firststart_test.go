package stack

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// A volume whose first start never reached ready is named before up waits, and only
// that one: judged by the volume's own id, which stays put when the engine's CreatedAt
// moves (Docker 20.10 moved it a second on the first mount, and up then waited out the
// timeout on a half-made PostgreSQL).
func TestCheckNeverReady(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	pl := planFor(t, cfg)
	pg, _ := pl.Unit("postgres")
	redis, _ := pl.Unit("redis")
	units := []plan.Unit{pg, redis}
	if redis.Spec.Volume == "" {
		t.Fatal("redis keeps no volume, so this test cannot tell that it is not judged")
	}
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
		redisToo  bool // redis's volume also never became ready: redis does not initialise once
		wantNamed bool
	}{
		{name: "no volume", state: "", wantNamed: false},
		{name: "made, never ready, container exited", volume: true, id: "a1", createdAt: made, state: "exited", record: "never", recordFor: "id:a1", wantNamed: true},
		{name: "redis too, which is not judged", volume: true, id: "a1", createdAt: made, state: "exited", record: "never", recordFor: "id:a1", redisToo: true, wantNamed: true},
		{name: "only redis never ready", redisToo: true, wantNamed: false},
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
				l := labels("p", "postgres")
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
				if err := memory.Started(pg.Spec.Volume, tt.recordFor); err != nil {
					t.Fatal(err)
				}
				if tt.record == "ready" {
					if err := memory.Ready(pg.Spec.Volume, tt.recordFor); err != nil {
						t.Fatal(err)
					}
				}
			}
			if tt.redisToo {
				l := labels("p", "redis")
				l[engine.LabelVolumeID] = "r1"
				f.VolumeSet[redis.Spec.Volume] = &engine.Volume{Name: redis.Spec.Volume, Labels: l, CreatedAt: made}
				have[1] = &engine.Container{Name: redis.Spec.Name, State: "exited"}
				if err := memory.Started(redis.Spec.Volume, "id:r1"); err != nil {
					t.Fatal(err)
				}
			}
			var mem VolumeMemory = memory
			if tt.noMemory {
				mem = nil
			}
			vols, err := inspectVolumes(context.Background(), f, units)
			if err != nil {
				t.Fatal(err)
			}
			instances, err := checkNeverReady(units, have, vols, mem)
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

// down records a service that became ready while nobody waited (up interrupted during
// its first start), so that the next up does not call its data half-made; it probes only
// running services that initialise once and were never seen ready, gives one still
// initialising the grace to finish, and names it when it does not.
func TestRecordReadyBeforeDown(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	tests := []struct {
		name       string
		state      string // the postgres container's
		ready      bool   // already recorded ready
		answer     error  // the probe's
		readyAt    int32  // the probe answers from this attempt on; 0: as answer says
		grace      time.Duration
		only       []string      // the services down was given
		wantProbes int32         // -1: more than one
		cancelAt   time.Duration // Ctrl-C this long after the start; 0: none
		wantNever  bool          // postgres's volume still never ready after
		wantInit   bool          // postgres said to be still initialising
		wantWait   bool          // down said it waits on postgres
		wantErr    error
	}{
		{name: "finished alone while nobody waited", state: "running", wantProbes: 1, wantNever: false},
		{name: "still initialising, no grace", state: "running", answer: errors.New("the database system is starting up"), wantProbes: 1, wantNever: true, wantInit: true},
		{name: "finishes within the grace", state: "running", readyAt: 3, grace: 5 * time.Second, wantProbes: 3, wantNever: false, wantWait: true},
		{name: "does not finish within the grace", state: "running", answer: errors.New("the database system is starting up"), grace: 300 * time.Millisecond, wantProbes: -1, wantNever: true, wantInit: true, wantWait: true},
		{name: "answers at once: no wait", state: "running", grace: 5 * time.Second, wantProbes: 1, wantNever: false},
		{name: "Ctrl-C during the grace, not ready", state: "running", answer: errors.New("starting up"), grace: 5 * time.Second, cancelAt: 200 * time.Millisecond,
			wantProbes: -1, wantNever: true, wantWait: true, wantErr: context.Canceled},
		{name: "exited", state: "exited", wantProbes: 0, wantNever: true},
		{name: "already seen ready", state: "running", ready: true, wantProbes: 0, wantNever: false},
		{name: "down of it and of a service no longer planned", state: "running", only: []string{"postgres", "mongodb"}, wantProbes: 1, wantNever: false},
		{name: "down of another service only", state: "running", only: []string{"redis"}, wantProbes: 0, wantNever: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := planFor(t, cfg)
			var probes atomic.Int32
			withProbe(pl, func(string) error {
				if n := probes.Add(1); tt.readyAt > 0 && n < tt.readyAt {
					return errors.New("the database system is starting up")
				}
				return tt.answer
			})
			f := enginetest.New()
			memory := state.NewReadyVolumes(t.TempDir())
			for _, name := range []string{"postgres", "redis"} {
				u, _ := pl.Unit(name)
				id := name + "-id"
				l := labels("p", name)
				l[engine.LabelVolumeID] = id
				f.VolumeSet[u.Spec.Volume] = &engine.Volume{Name: u.Spec.Volume, Labels: l}
				if err := memory.Started(u.Spec.Volume, "id:"+id); err != nil {
					t.Fatal(err)
				}
				st := "running"
				if name == "postgres" {
					st = tt.state
				}
				f.Containers[u.Spec.Name] = &engine.Container{ID: name + "-c", Name: u.Spec.Name, State: st, Labels: labels("p", name)}
			}
			pg, _ := pl.Unit("postgres")
			if tt.ready {
				if err := memory.Ready(pg.Spec.Volume, "id:postgres-id"); err != nil {
					t.Fatal(err)
				}
			}
			ctx := context.Background()
			if tt.cancelAt > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				time.AfterFunc(tt.cancelAt, cancel)
				defer cancel()
			}
			var waited []string
			unfinished, err := RecordReady(ctx, f, pl, ReadyOptions{Only: tt.only, Memory: memory, Grace: tt.grace,
				Waiting: func(s []string, _ time.Duration) { waited = s }})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := len(unfinished) == 1 && unfinished[0].Service == "postgres" && unfinished[0].Reason != ""; got != tt.wantInit {
				t.Errorf("unfinished: %+v; want postgres named with a reason: %v", unfinished, tt.wantInit)
			}
			if got := slices.Equal(waited, []string{"postgres"}); got != tt.wantWait {
				t.Errorf("down said it waits on %v; want postgres: %v", waited, tt.wantWait)
			}
			if got := probes.Load(); got != tt.wantProbes && !(tt.wantProbes == -1 && got > 1) {
				t.Errorf("%d probes, want %d (redis, which does not initialise once, is never probed)", got, tt.wantProbes)
			}
			never, err := memory.NeverReady(pg.Spec.Volume, "id:postgres-id")
			if err != nil {
				t.Fatal(err)
			}
			if never != tt.wantNever {
				t.Errorf("postgres never ready = %v, want %v", never, tt.wantNever)
			}
		})
	}
}

// withProbe makes every unit of the plan answer as fn says for its service.
func withProbe(pl *plan.Plan, fn func(service string) error) {
	for i, u := range pl.Units {
		cs := *u.Service
		s := *cs.Service
		s.Probe = probeSpec(func() error { return fn(u.Name()) })
		cs.Service = &s
		pl.Units[i].Service = &cs
	}
}

// A first start is recorded only once the engine started the service on its new
// volume: a volume whose container never started is empty, and is not named by the next
// up; one that started and never answered is.
func TestFirstStartIsRecordedOnceStarted(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n")
	tests := []struct {
		name      string
		startErr  error
		answer    error
		wantNever bool
	}{
		{name: "started, never answered", answer: errors.New("the database system is starting up"), wantNever: true},
		{name: "started and ready", wantNever: false},
		{name: "never started: its port was taken", startErr: &engine.PortConflictError{Port: 15632, Err: errors.New("port is already allocated")}, wantNever: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := enginetest.New()
			f.LocalImage("pg17", map[string]string{"PG_MAJOR": "17"})
			pl := planFor(t, cfg)
			withProbe(pl, func(string) error { return tt.answer })
			pg, _ := pl.Unit("postgres")
			if tt.startErr != nil {
				f.StartErr[pg.Spec.Name] = []error{tt.startErr}
			}
			memory := state.NewReadyVolumes(t.TempDir())
			_, _ = Up(context.Background(), f, pl, fixedSecrets{}, UpOptions{Timeout: 300 * time.Millisecond, Volumes: memory})
			vol := f.VolumeSet[pg.Spec.Volume]
			if vol == nil {
				t.Fatalf("no volume was made: %s", f.CallLog())
			}
			never, err := memory.NeverReady(vol.Name, vol.Instance())
			if err != nil {
				t.Fatal(err)
			}
			if never != tt.wantNever {
				t.Fatalf("never ready = %v, want %v (calls: %s)", never, tt.wantNever, f.CallLog())
			}
		})
	}
}

// A same-named volume devstack did not make for the service is refused before any
// other check reads it.
func TestForeignVolumesAreRefused(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  redis: {image: \"redis:7\"}\n")
	_, units := unitsFor(t, cfg)
	tests := []struct {
		name   string
		labels map[string]string // of the redis volume; nil for none
		want   bool
	}{
		{"no volume", nil, false},
		{"the project's, this service's", labels("p", "redis"), false},
		{"another project's", labels("q", "redis"), true},
		{"this project's, another service's", labels("p", "postgres"), true},
		{"no labels at all", map[string]string{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vols := make([]*engine.Volume, len(units))
			for i, u := range units {
				if u.Name() == "redis" && tt.labels != nil {
					vols[i] = &engine.Volume{Name: u.Spec.Volume, Labels: tt.labels}
				}
			}
			err := checkForeignVolumes(units, vols)
			var fe *engine.ForeignError
			if got := errors.As(err, &fe); got != tt.want {
				t.Fatalf("refused = %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

// Ctrl-C while down waits on two first starts: the one that finished before it is
// recorded, the other is not, and down is interrupted.
func TestRecordReadyKeepsWhatBecameReadyOnCtrlC(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  postgres: {image: \"pg17\"}\n  mariadb: {image: \"mariadb:11\"}\n")
	pl := planFor(t, cfg)
	var pgProbes atomic.Int32
	withProbe(pl, func(service string) error {
		if service != "postgres" {
			return errors.New("still installing")
		}
		if pgProbes.Add(1) < 3 {
			return errors.New("the database system is starting up")
		}
		return nil
	})
	f := enginetest.New()
	memory := state.NewReadyVolumes(t.TempDir())
	for _, u := range pl.Units {
		l := labels("p", u.Name())
		l[engine.LabelVolumeID] = u.Name() + "-id"
		f.VolumeSet[u.Spec.Volume] = &engine.Volume{Name: u.Spec.Volume, Labels: l}
		if err := memory.Started(u.Spec.Volume, "id:"+u.Name()+"-id"); err != nil {
			t.Fatal(err)
		}
		f.Containers[u.Spec.Name] = &engine.Container{ID: u.Name() + "-c", Name: u.Spec.Name, State: "running", Labels: labels("p", u.Name())}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(500*time.Millisecond, cancel)
	if _, err := RecordReady(ctx, f, pl, ReadyOptions{Memory: memory, Grace: 5 * time.Second}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want interrupted", err)
	}
	for name, wantNever := range map[string]bool{"postgres": false, "mariadb": true} {
		u, _ := pl.Unit(name)
		never, err := memory.NeverReady(u.Spec.Volume, "id:"+name+"-id")
		if err != nil || never != wantNever {
			t.Errorf("%s never ready = %v (%v), want %v", name, never, err, wantNever)
		}
	}
}
