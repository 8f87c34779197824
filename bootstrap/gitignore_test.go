package bootstrap

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/gitrepo"
	"github.com/devstack-dev/devstack/internal/testenv"
)

// gitIn runs git in a repository the test made, with no config of the machine's.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	testenv.Git(t)
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestGuardEnvFile: before bootstrap writes passwords into the env file, git must ignore
// it: one not ignored yet is added to .gitignore (every other byte kept), one ignored
// already is left alone, and a tracked one is refused with both ways out. Outside git
// nothing is checked or written.
func TestGuardEnvFile(t *testing.T) {
	tests := []struct {
		name       string
		git        bool
		sub        string // the project's directory under the work tree
		envFile    string
		files      map[string]string // under the work tree, before
		track      string            // a path to git add
		wantErr    bool
		wantIgnore string // the project's .gitignore after ("" = unchanged)
	}{
		{name: "not a git work tree", envFile: ".env", files: map[string]string{".gitignore": "node_modules/\n"}},
		{name: "not ignored yet", git: true, envFile: ".env", files: map[string]string{".gitignore": "node_modules/"},
			wantIgnore: "node_modules/\n# connection settings with generated passwords, written by devstack bootstrap\n/.env\n"},
		{name: "CRLF kept", git: true, envFile: ".env", files: map[string]string{".gitignore": "# mine\r\nbuild/\r\n"},
			wantIgnore: "# mine\r\nbuild/\r\n# connection settings with generated passwords, written by devstack bootstrap\r\n/.env\r\n"},
		{name: "no .gitignore yet", git: true, envFile: ".env",
			wantIgnore: "# connection settings with generated passwords, written by devstack bootstrap\n/.env\n"},
		{name: "ignored by a glob", git: true, envFile: ".env", files: map[string]string{".gitignore": ".env*\n!.env.example\n"}},
		{name: "ignored by info/exclude", git: true, envFile: ".env", files: map[string]string{".git/info/exclude": ".env\n"}},
		{name: "ignored, then un-ignored", git: true, envFile: ".env", files: map[string]string{".gitignore": ".env\n!.env\n"},
			wantIgnore: ".env\n!.env\n# connection settings with generated passwords, written by devstack bootstrap\n/.env\n"},
		{name: "a project below the top, env_file in a directory", git: true, sub: "app", envFile: "config/local.env",
			wantIgnore: "# connection settings with generated passwords, written by devstack bootstrap\n/config/local.env\n"},
		{name: "tracked", git: true, envFile: ".env", files: map[string]string{".env": "DEBUG=1\n", ".gitignore": ".env\n"}, track: ".env", wantErr: true},
		{name: "tracked, in a project below the top", git: true, sub: "app", envFile: ".env", files: map[string]string{"app/.env": "DEBUG=1\n"}, track: "app/.env", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := t.TempDir()
			if tt.git {
				gitIn(t, top, "init", "-q")
			}
			for p, c := range tt.files {
				writeFile(t, filepath.Join(top, p), c, 0o644)
			}
			if tt.track != "" {
				gitIn(t, top, "add", "-f", tt.track)
			}
			root := filepath.Join(top, tt.sub)
			if err := os.MkdirAll(root, 0o755); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(filepath.Join(root, ".gitignore"))
			msg, err := guardEnvFile(root, tt.envFile)
			var tracked *TrackedEnvError
			if tt.wantErr != errors.As(err, &tracked) {
				t.Fatalf("err = %v; want a TrackedEnvError: %v", err, tt.wantErr)
			}
			if tt.wantErr && (!strings.Contains(tracked.Hint(), "git rm --cached "+tt.envFile) || !strings.Contains(tracked.Hint(), "env_file:")) {
				t.Fatalf("hint %q", tracked.Hint())
			}
			after, _ := os.ReadFile(filepath.Join(root, ".gitignore"))
			want := tt.wantIgnore
			if want == "" {
				want = string(before)
			}
			if string(after) != want {
				t.Fatalf(".gitignore %q, want %q", after, want)
			}
			if (tt.wantIgnore != "") != strings.Contains(msg, "added to") {
				t.Fatalf("message %q", msg)
			}
			if tt.git && !tt.wantErr {
				rel, _ := filepath.Rel(top, filepath.Join(root, tt.envFile))
				if ok, err := gitrepo.Ignored(top, filepath.ToSlash(rel)); err != nil || !ok {
					t.Fatalf("%s not ignored after: %v %v", rel, ok, err)
				}
				gitIn(t, top, "check-ignore", "-q", filepath.ToSlash(rel)) // git agrees
			}
		})
	}
}

// init ignores .env too in a git work tree, and only .devstack/ elsewhere.
func TestInitIgnoresTheEnvFileInGit(t *testing.T) {
	for _, inGit := range []bool{true, false} {
		root := t.TempDir()
		if inGit {
			gitIn(t, root, "init", "-q")
		}
		r, err := Init(context.Background(), InitOptions{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(filepath.Join(root, ".gitignore"))
		hasEnv := strings.Contains(string(got), "\n/.env\n")
		if hasEnv != inGit || !strings.Contains(string(got), "\n.devstack/\n") || len(r.Ignored) != map[bool]int{true: 2, false: 1}[inGit] {
			t.Fatalf("in git %v: .gitignore %q, report %+v", inGit, got, r)
		}
		if inGit {
			gitIn(t, root, "check-ignore", "-q", ".env")
			gitIn(t, root, "check-ignore", "-q", ".devstack/secrets.env")
		}
	}
}
