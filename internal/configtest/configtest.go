// Package configtest loads a configuration from YAML text, for tests of the packages
// that work from one.
package configtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/devstack-dev/devstack/config"
)

// Load writes yaml as devstack.yaml in a fresh directory and loads it, with an empty
// environment so the machine's DEVSTACK_* variables cannot change the result.
func Load(t testing.TB, yaml string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Dir: dir, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	// The identity of a checkout in a temporary directory changes with every run; the
	// tests that use Load name objects after the project, so it is pinned to the name
	// with no checkout label. config's own tests derive it.
	cfg.Identity = config.Identity{ID: cfg.Project, Name: cfg.Project}
	return cfg
}
