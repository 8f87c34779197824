package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/devstack-dev/devstack/output"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ from what the code prints")

// TestHelpGolden keeps every command's --help as reviewed: flags, defaults shown once,
// and examples. Run `go test ./cmd/devstack -run TestHelpGolden -update` after changing
// a flag, and read the diff.
func TestHelpGolden(t *testing.T) {
	cmds := []string{"", "doctor", "ports", "up", "status", "logs", "env", "down", "bootstrap", "fixtures", "init", "audit", "export", "snapshot", "forward", "completion"}
	for _, name := range cmds {
		t.Run("help-"+name, func(t *testing.T) {
			args := []string{"devstack", "--help"}
			file := "devstack.txt"
			if name != "" {
				args = []string{"devstack", name, "--help"}
				file = name + ".txt"
			}
			streams, out, errb := output.Test()
			if code := Run(context.Background(), args, streams); code != 0 {
				t.Fatalf("exit %d: %s", code, errb)
			}
			golden := filepath.Join("testdata", "help", file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if out.String() != string(want) {
				t.Errorf("devstack %s --help differs from %s (run with -update and read the diff):\n%s", name, golden, out)
			}
		})
	}
}
