package bootstrap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
)

func TestInit(t *testing.T) {
	root := filepath.Join(t.TempDir(), "My Repo")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ".gitignore"), []byte("node_modules/"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(context.Background(), InitOptions{Root: root, Found: map[string]string{"python": "3.12.4", "node": "v20.11.0", "compose": "dev"}}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Dir: root, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	py, _ := cfg.Tool("python")
	node, _ := cfg.Tool("node")
	compose, _ := cfg.Tool("compose")
	if cfg.Project != "my-repo" || py.Constraint != ">=3.12" || node.Constraint != ">=20.11" || compose.Constraint != ">=2.0" || len(cfg.Services) != 5 {
		t.Fatalf("project %q python %q node %q compose %q services %d", cfg.Project, py.Constraint, node.Constraint, compose.Constraint, len(cfg.Services))
	}
	ignore, _ := os.ReadFile(filepath.Join(root, ".gitignore"))
	if string(ignore) != "node_modules/\n# devstack's private state: generated credentials, fixture records, cache\n.devstack/\n" {
		t.Fatalf(".gitignore %q", ignore)
	}
	if _, err := Init(context.Background(), InitOptions{Root: root}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("overwrote without --force: %v", err)
	}
	if _, err := Init(context.Background(), InitOptions{Root: root, Force: true}); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(root, ".gitignore"))
	if strings.Count(string(again), ".devstack/") != 1 {
		t.Fatalf(".gitignore grew: %q", again)
	}
}
