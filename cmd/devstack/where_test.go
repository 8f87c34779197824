package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/output"
)

// TestSaysWhichFileFromAParent: a devstack.yaml found above the working directory is named
// on stderr (a JSON line in JSON mode); one in the working directory only with --verbose.
func TestSaysWhichFileFromAParent(t *testing.T) {
	tests := []struct {
		name     string
		subdir   bool
		verbose  bool
		format   output.Format
		wantNote string // "" for no note at all
	}{
		{name: "from a subdirectory", subdir: true, format: output.Text, wantNote: "found in a parent directory"},
		{name: "from a subdirectory, JSON", subdir: true, format: output.JSON, wantNote: "found in a parent directory"},
		{name: "in the project directory: nothing", format: output.Text},
		{name: "in the project directory, --verbose", verbose: true, format: output.Text, wantNote: "using "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, "cache", enginetest.New(), tt.format)
			u.e.cfgPath = "" // found by searching, as without --config
			u.e.printer = output.NewPrinter(u.e.streams, output.Options{Format: tt.format, Verbose: tt.verbose})
			dir := u.root
			if tt.subdir {
				dir = filepath.Join(u.root, "src", "app")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			if code := u.code(runEnv(context.Background(), envOptions{env: u.e, format: "dotenv"})); code != 0 {
				t.Fatalf("exit %d\n%s", code, u.errb)
			}
			stderr := u.errb.String()
			if tt.wantNote == "" {
				if stderr != "" {
					t.Fatalf("stderr %q, want nothing", stderr)
				}
				return
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.wantNote) || !strings.Contains(stderr, filepath.Join(u.root, "devstack.yaml")) {
				t.Fatalf("stderr %q: want one line naming the file and %q", stderr, tt.wantNote)
			}
			if tt.format == output.JSON {
				var note struct{ Note string }
				if err := json.Unmarshal([]byte(stderr), &note); err != nil || note.Note == "" {
					t.Fatalf("stderr %q is not a JSON note: %v", stderr, err)
				}
			}
		})
	}
}
