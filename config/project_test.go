package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWhichProject: the project is the nearest directory holding devstack.yaml, else the
// root of the git work tree (a .git directory, or the .git file of a worktree), else none.
func TestWhichProject(t *testing.T) {
	tests := []struct {
		name   string
		files  []string // made under a fresh directory; a name ending in / is a directory
		run    string   // where devstack runs, under it
		root   string   // the project directory wanted, under it
		found  Found
		reject bool // NeedProject refuses
	}{
		{name: "devstack.yaml here", files: []string{"devstack.yaml"}, run: ".", root: ".", found: FoundFile},
		{name: "devstack.yaml in a parent", files: []string{"devstack.yaml", "src/"}, run: "src", root: ".", found: FoundFile},
		{name: "a git clone with no devstack.yaml", files: []string{"repo/.git/", "repo/src/pkg/"}, run: "repo/src/pkg", root: "repo", found: FoundGit},
		{name: "a git worktree (.git is a file)", files: []string{"wt/.git", "wt/src/"}, run: "wt/src", root: "wt", found: FoundGit},
		{name: "devstack.yaml below the git root wins", files: []string{"repo/.git/", "repo/app/devstack.yaml", "repo/app/x/"}, run: "repo/app/x", root: "repo/app", found: FoundFile},
		{name: "neither", files: []string{"home/"}, run: "home", root: "home", found: FoundNone, reject: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(base, f)
				if f[len(f)-1] == '/' {
					if err := os.MkdirAll(p, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := Load(Options{Dir: filepath.Join(base, tt.run), Getenv: func(string) string { return "" }})
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(base, tt.root); cfg.Root != want || cfg.Found != tt.found {
				t.Fatalf("root %s found %d; want %s found %d", cfg.Root, cfg.Found, want, tt.found)
			}
			if want := ProjectName(filepath.Base(filepath.Join(base, tt.root))); cfg.Project != want {
				t.Errorf("project %q, want %q", cfg.Project, want)
			}
			err = cfg.NeedProject()
			var np *NoProjectError
			if tt.reject != errors.As(err, &np) {
				t.Fatalf("NeedProject: %v; want a refusal: %v", err, tt.reject)
			}
			if tt.reject && (np.Dir != cfg.Root || np.Hint() == "") {
				t.Fatalf("refusal %q (fix %q) does not name %s and the way out", err, np.Hint(), cfg.Root)
			}
		})
	}
}
