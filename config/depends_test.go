package config

import (
	"slices"
	"testing"
)

// depends_on is data on the definition: a built-in's (pgAdmin on PostgreSQL) and a
// custom service's alike, and it leaves the display order as it was.
func TestDependsOn(t *testing.T) {
	cfg, err := load(t, "depends.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	deps := map[string][]string{}
	for _, s := range cfg.Services {
		names = append(names, s.Name)
		deps[s.Name] = s.DependsOn
	}
	if want := []string{"postgres", "pgadmin", "api", "worker"}; !slices.Equal(names, want) {
		t.Errorf("order %v, want %v", names, want)
	}
	if !slices.Equal(deps["pgadmin"], []string{"postgres"}) || !slices.Equal(deps["api"], []string{"postgres", "worker"}) || deps["worker"] != nil {
		t.Errorf("depends_on %v", deps)
	}
}
