package bootstrap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/userfile"
)

// Rule 5: bootstrap checks the file it will write before it touches anything; a .env it
// cannot write fails the run before the engine hears of it.
func TestBootstrapChecksItsFileFirst(t *testing.T) {
	for name, target := range map[string]func(root, outside string) string{
		"a link out of the project": func(_, outside string) string { return filepath.Join(outside, "victim.env") },
		"a link into .git":          func(root, _ string) string { return filepath.Join(root, ".git", "config") },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := configtest.Load(t, "project: p\nservices: {redis: {}}\n")
			outside := t.TempDir()
			must(t, os.MkdirAll(filepath.Join(cfg.Root, ".git"), 0o755))
			// Made after the configuration loaded, as a repository's link could change.
			must(t, os.Symlink(target(cfg.Root, outside), filepath.Join(cfg.Root, ".env")))
			pl, err := plan.New(cfg, noSecrets{})
			if err != nil {
				t.Fatal(err)
			}
			f := enginetest.New()
			r, err := Run(context.Background(), pl, noSecrets{}, Options{SkipDoctor: true, Engine: f})
			var se *StepError
			if !errors.As(err, &se) || se.Step != "env" || r.OK {
				t.Fatalf("err = %v; want the env step to fail first", err)
			}
			var oe *userfile.OutsideError
			var me *userfile.MetadataError
			if !errors.As(err, &oe) && !errors.As(err, &me) {
				t.Errorf("err = %v; want the confinement refusal", err)
			}
			if log := f.CallLog(); log != "" {
				t.Errorf("the engine was called before the refusal:\n%s", log)
			}
			if _, err := os.Stat(filepath.Join(cfg.Root, ".devstack")); err == nil {
				t.Error("state was written")
			}
		})
	}
}

// noSecrets makes fixed credentials and keeps them nowhere.
type noSecrets struct{}

func (noSecrets) Get(key string) string { return "test-" + key }
func (noSecrets) Save() error           { return nil }
