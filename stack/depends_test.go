package stack

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
)

// A service is created only once the services it depends on that the same up brings up
// have come up (here, with --no-wait: started); the report keeps the plan's order.
func TestUpStartsDependenciesFirst(t *testing.T) {
	cfg := configtest.Load(t, "project: p\noffset: 10000\nservices:\n  pgadmin:\n  opensearch-dashboards:\n  postgres:\n  opensearch:\n  redis:\n")
	pl := planFor(t, cfg)
	f := enginetest.New()
	for _, u := range pl.Units {
		f.LocalImage(u.Spec.Image, nil)
	}
	report, err := Up(context.Background(), f, pl, fixedSecrets{}, UpOptions{NoWait: true})
	if err != nil || !report.OK {
		t.Fatalf("up: %v %+v", err, report)
	}
	calls := strings.Split(f.CallLog(), "; ")
	at := func(call string) int {
		i := slices.Index(calls, call)
		if i < 0 {
			t.Fatalf("no %q in %q", call, calls)
		}
		return i
	}
	if at("create p-pgadmin") < at("start p-postgres") {
		t.Errorf("pgadmin created before postgres started: %q", calls)
	}
	if at("create p-opensearch-dashboards") < at("start p-opensearch") {
		t.Errorf("dashboards created before opensearch started: %q", calls)
	}
	var names []string
	for _, r := range report.Services {
		names = append(names, r.Name)
	}
	if want := []string{"redis", "postgres", "opensearch", "opensearch-dashboards", "pgadmin"}; !slices.Equal(names, want) {
		t.Errorf("report order %v, want %v", names, want)
	}
}

// A dependency the up does not bring up is not waited for, and a lead that waits lets
// the others go (or it would wait for itself).
func TestDependsGate(t *testing.T) {
	units := unitsTaking(time.Minute, 3*time.Minute) // b leads
	units[1].Service.Service.DependsOn = []string{"a", "elsewhere"}
	run := &upRun{gate: newStartGate(units), deps: newDependsGate(units)}
	if run.deps.waits("a") || !slices.Equal(run.deps.deps["b"], []string{"a"}) {
		t.Fatalf("deps %v", run.deps.deps)
	}
	done := make(chan struct{})
	go func() { run.turn(context.Background(), "b"); close(done) }()
	run.turn(context.Background(), "a") // returns: b let the others go
	select {
	case <-done:
		t.Fatal("b went before a came up")
	case <-time.After(20 * time.Millisecond):
	}
	run.finished("a")
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("b still waits after a came up")
	}
}
