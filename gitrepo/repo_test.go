package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/testenv"
)

// git runs the real git in a repository the test made, to make indexes and to compare
// verdicts with; its config is neutralised so nothing of the machine's applies.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	testenv.Git(t)
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+dir,
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); ok && args[0] == "check-ignore" {
			return ""
		}
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIgnored: each case's ignore files, and the verdict on each path, as git itself
// gives it (checked against git check-ignore --no-index when git is installed).
func TestIgnored(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string // ignore files by path under the top
		ignored []string
		not     []string
	}{
		{name: "nothing", not: []string{".env", "a/.env"}},
		{name: "a name anywhere", files: map[string]string{".gitignore": "node_modules/\n.env\n"},
			ignored: []string{".env", "app/.env"}, not: []string{".env.local", "x.env"}},
		{name: "anchored", files: map[string]string{".gitignore": "/.env\n"}, ignored: []string{".env"}, not: []string{"app/.env"}},
		{name: "globs", files: map[string]string{".gitignore": "*.env\n.env*\n"}, ignored: []string{".env", ".env.local", "app/prod.env"}, not: []string{"env"}},
		{name: "negation, last wins", files: map[string]string{".gitignore": ".env*\n!.env.example\n"}, ignored: []string{".env"}, not: []string{".env.example"}},
		{name: "negated back", files: map[string]string{".gitignore": "!.env\n.env\n"}, ignored: []string{".env"}},
		{name: "directory only", files: map[string]string{".gitignore": "config/\n"}, ignored: []string{"config/.env"}, not: []string{"config"}},
		{name: "inside an ignored directory nothing comes back", files: map[string]string{".gitignore": "build/\n!build/.env\n"}, ignored: []string{"build/.env"}},
		{name: "double star", files: map[string]string{".gitignore": "**/secrets/**\n"}, ignored: []string{"secrets/.env", "a/b/secrets/.env"}, not: []string{".env"}},
		{name: "middle double star", files: map[string]string{".gitignore": "a/**/.env\n"}, ignored: []string{"a/.env", "a/b/c/.env"}, not: []string{"b/.env"}},
		{name: "class", files: map[string]string{".gitignore": ".[e]nv\n.en[!x]\n"}, ignored: []string{".env"}},
		{name: "a deeper .gitignore wins", files: map[string]string{".gitignore": ".env\n", "app/.gitignore": "!.env\n"}, ignored: []string{".env"}, not: []string{"app/.env"}},
		{name: "a deeper .gitignore is relative to its directory", files: map[string]string{"app/.gitignore": "/.env\n"}, ignored: []string{"app/.env"}, not: []string{".env", "app/x/.env"}},
		{name: "info/exclude", files: map[string]string{".git/info/exclude": ".env\n"}, ignored: []string{".env"}},
		{name: "comments, blanks, trailing spaces, CRLF", files: map[string]string{".gitignore": "# .env\r\n\r\n.env   \r\n"}, ignored: []string{".env"}},
		{name: "escaped", files: map[string]string{".gitignore": "\\#notes\n\\!bang\n"}, ignored: []string{"#notes", "!bang"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := t.TempDir()
			if err := os.MkdirAll(filepath.Join(top, ".git", "info"), 0o755); err != nil {
				t.Fatal(err)
			}
			for p, c := range tt.files {
				writeFile(t, filepath.Join(top, p), c)
			}
			_, haveGit := exec.LookPath("git")
			if haveGit == nil {
				os.RemoveAll(filepath.Join(top, ".git"))
				git(t, top, "init", "-q")
				if c, ok := tt.files[".git/info/exclude"]; ok {
					writeFile(t, filepath.Join(top, ".git", "info", "exclude"), c)
				}
			}
			for _, list := range []struct {
				paths []string
				want  bool
			}{{tt.ignored, true}, {tt.not, false}} {
				for _, p := range list.paths {
					got, err := Ignored(top, p)
					if err != nil || got != list.want {
						t.Errorf("Ignored(%q) = %v, %v; want %v", p, got, err, list.want)
					}
					if haveGit == nil {
						byGit := strings.TrimSpace(git(t, top, "check-ignore", "--no-index", p)) != ""
						if byGit != list.want {
							t.Errorf("git check-ignore %q: %v; the table says %v", p, byGit, list.want)
						}
					}
				}
			}
		})
	}
}

// Escape makes a pattern that matches its path and no other, whatever characters it holds.
func TestEscape(t *testing.T) {
	for _, name := range []string{".env", "config/.env", "my env[1]*.txt", "#x", "!x", "a\\b"} {
		r, ok := parseRule(Escape(name), "")
		if !ok || !r.matches(name, false) {
			t.Errorf("%q: pattern %q does not match it", name, Escape(name))
		}
		if r.matches("x/"+name, false) || r.matches(name+"x", false) {
			t.Errorf("%q: pattern %q matches more", name, Escape(name))
		}
	}
}

// TestTracked reads indexes git wrote: versions 2, 3 (extended flags, from an
// intent-to-add entry) and 4 (prefix-compressed names), SHA-256 object names, and a
// worktree's index through its .git file.
func TestTracked(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, top string)
	}{
		{name: "version 2", setup: func(t *testing.T, top string) { git(t, top, "update-index", "--index-version", "2") }},
		{name: "version 3", setup: func(t *testing.T, top string) {
			writeFile(t, filepath.Join(top, "zz-intent.txt"), "x")
			git(t, top, "add", "--intent-to-add", "zz-intent.txt")
			git(t, top, "update-index", "--index-version", "3")
		}},
		{name: "version 4", setup: func(t *testing.T, top string) { git(t, top, "update-index", "--index-version", "4") }},
	}
	for _, format := range []string{"sha1", "sha256"} {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				top := t.TempDir()
				git(t, top, "init", "-q", "--object-format="+format)
				for _, f := range []string{".env", "app/config/.env", "app/config/settings.py", "app/a-very-long-directory-name/file.txt", "README.md"} {
					writeFile(t, filepath.Join(top, f), f)
				}
				writeFile(t, filepath.Join(top, "untracked.env"), "x")
				git(t, top, "add", ".env", "app", "README.md")
				tt.setup(t, top)
				for p, want := range map[string]bool{".env": true, "app/config/.env": true, "README.md": true,
					"app/a-very-long-directory-name/file.txt": true, "untracked.env": false, "app": false, "app/config": false, "nope": false} {
					got, err := Tracked(top, p)
					if err != nil || got != want {
						t.Errorf("Tracked(%q) = %v, %v; want %v", p, got, err, want)
					}
				}
			})
		}
	}
	t.Run("worktree", func(t *testing.T) {
		base := t.TempDir()
		main := filepath.Join(base, "main")
		if err := os.Mkdir(main, 0o755); err != nil {
			t.Fatal(err)
		}
		git(t, main, "init", "-q")
		writeFile(t, filepath.Join(main, ".env"), "x")
		git(t, main, "add", ".env")
		git(t, main, "commit", "-qm", "x")
		git(t, main, "worktree", "add", "-q", filepath.Join(base, "wt"))
		if got, err := Tracked(filepath.Join(base, "wt"), ".env"); err != nil || !got {
			t.Fatalf("Tracked in a worktree = %v, %v", got, err)
		}
		if Top(filepath.Join(base, "wt")) != filepath.Join(base, "wt") {
			t.Fatalf("Top of the worktree")
		}
	})
	t.Run("no index yet", func(t *testing.T) {
		top := t.TempDir()
		git(t, top, "init", "-q")
		if got, err := Tracked(top, ".env"); err != nil || got {
			t.Fatalf("Tracked = %v, %v", got, err)
		}
	})
}

// A damaged index is an error, never a panic or a wrong "not tracked".
func TestTrackedDamagedIndex(t *testing.T) {
	for name, content := range map[string]string{
		"empty":         "",
		"not an index":  "hello world, not an index",
		"version 9":     "DIRC\x00\x00\x00\x09\x00\x00\x00\x01",
		"cut off entry": "DIRC\x00\x00\x00\x02\x00\x00\x00\x01" + strings.Repeat("\x00", 30),
	} {
		top := t.TempDir()
		writeFile(t, filepath.Join(top, ".git", "index"), content)
		if _, err := Tracked(top, ".env"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
