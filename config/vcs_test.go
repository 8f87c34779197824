package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 18, row 2: a repository that ships .env (named or the default) as a link into
// version-control metadata is refused at load, before anything is written.
func TestEnvFileIntoVCSMetadataIsRefused(t *testing.T) {
	tests := []struct {
		name, yaml, link, target string
		line                     int
	}{
		{"default .env links into .git", "project: x\n", ".env", ".git/config", 0},
		{"named env_file links into .git", "project: x\nenv_file: app.env\n", "app.env", ".git/config", 2},
		{"dangling link to a hook", "project: x\n", ".env", ".git/hooks/post-checkout", 0},
		{"case variant", "project: x\nenv_file: .env\n", ".env", ".GIT/config", 2},
		{"nested repository", "project: x\n", ".env", "vendor/lib/.git/config", 0},
		{"mercurial", "project: x\n", ".env", ".hg/hgrc", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range []string{".git/hooks", "vendor/lib/.git", ".hg"} {
				if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(root, FileName), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(tt.target, filepath.Join(root, tt.link)); err != nil {
				t.Fatal(err)
			}
			_, err := Load(Options{Dir: root, Getenv: func(string) string { return "" }})
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != "env_file" || ce.Line != tt.line || !strings.Contains(ce.Msg, "version-control metadata") || ce.Fix == "" {
				t.Fatalf("err = %v (%#v); want an env_file error at line %d", err, ce, tt.line)
			}
		})
	}
	// A plain .env, and one linked elsewhere inside the project, load.
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, FileName), []byte("project: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("config/app.env", filepath.Join(root, ".env")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(Options{Dir: root, Getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
}
