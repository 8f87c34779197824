package userfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWithin(t *testing.T) {
	outside := t.TempDir()
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "fixtures", "sql"), 0o755))
	must(os.WriteFile(filepath.Join(root, ".env"), nil, 0o600))
	must(os.Symlink(outside, filepath.Join(root, "out")))
	must(os.Symlink(filepath.Join(root, ".env"), filepath.Join(root, "env-link")))
	must(os.Symlink(filepath.Join(outside, "not-yet"), filepath.Join(root, "dangling")))
	must(os.Symlink("../..", filepath.Join(root, "fixtures", "up")))

	tests := []struct {
		path    string
		outside bool
	}{
		{".env", false},
		{"fixtures/sql", false},
		{"./fixtures/../.env", false},
		{"new/file.env", false}, // does not exist yet: judged by where it would land
		{"env-link", false},     // a link that stays inside
		{"../x", true},
		{"../../.bashrc", true},
		{"/etc/passwd", true},
		{outside, true},
		{"out/secret", true},      // through a link to a directory outside
		{"dangling", true},        // a dangling link that would create a file outside
		{"fixtures/up/etc", true}, // a relative link climbing out
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := Within(root, tt.path)
			var oe *OutsideError
			if tt.outside {
				if !errors.As(err, &oe) {
					t.Fatalf("Within(%q) = %q, %v; want an OutsideError", tt.path, got, err)
				}
				if oe.Hint() == "" || oe.Error() == "" {
					t.Fatal("an OutsideError must say what and how to fix")
				}
				return
			}
			if err != nil {
				t.Fatalf("Within(%q): %v", tt.path, err)
			}
			realRoot, _ := filepath.EvalSymlinks(root)
			if !inside(realRoot, got) {
				t.Fatalf("Within(%q) = %q, not under %q", tt.path, got, realRoot)
			}
		})
	}
}

func TestWithinAbsoluteInside(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "a.sql")
	got, err := Within(root, p)
	if err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(root)
	if got != filepath.Join(real, "a.sql") {
		t.Fatalf("got %q", got)
	}
}

func TestWithinLinkLoop(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := Within(root, "a"); err == nil {
		t.Fatal("a link loop must be an error, not a hang or a pass")
	}
}
