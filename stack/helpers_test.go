package stack

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
)

// The fake engine these tests run against is internal/enginetest's, shared with the
// commands' tests; it cannot check itself against Engine without an import cycle.
var _ Engine = (*enginetest.Fake)(nil)

// fixedSecrets is a plan.Secrets that needs no disk.
type fixedSecrets struct{}

func (fixedSecrets) Get(key string) string { return "secret-" + strings.ToLower(key) }
func (fixedSecrets) Save() error           { return nil }

// unitsFor resolves every planned service of cfg.
func unitsFor(t *testing.T, cfg *config.Config) (*ports.Plan, []plan.Unit) {
	t.Helper()
	pl := planFor(t, cfg)
	return pl.Ports, pl.Units
}

// planFor resolves cfg with fixed secrets.
func planFor(t *testing.T, cfg *config.Config) *plan.Plan {
	t.Helper()
	pl, err := plan.New(cfg, fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

var update = flag.Bool("update", false, "rewrite golden files")

// matchGolden compares got with testdata/name; -update writes it instead.
func matchGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("output:\n%s\nwant:\n%s", got, want)
	}
}

// labels are what plan.Labels gives the objects of a configuration made by hand: its
// identity is its bare name.
func labels(identity, service string) map[string]string {
	return plan.Labels(config.Identity{ID: identity, Name: identity}, service)
}
