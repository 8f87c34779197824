package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/devstack-dev/devstack/userfile"
)

func TestUnmakeRemovesOnlyWhatTheLockMade(t *testing.T) {
	root := t.TempDir()
	if Existed(root) {
		t.Fatal("a fresh project has state")
	}
	l, err := LockProject(context.Background(), root, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	if !Existed(root) {
		t.Fatal("the lock made no state directory")
	}
	if err := Unmake(root); err != nil {
		t.Fatal(err)
	}
	if Existed(root) {
		t.Fatal("the lock's directory is still there")
	}

	// State written meanwhile keeps the directory, and everything in it.
	l, err = LockProject(context.Background(), root, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	secrets := filepath.Join(root, Dir, "secrets.env")
	if err := os.WriteFile(secrets, []byte("K=v\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Unmake(root); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{secrets, filepath.Join(root, Dir, lockFileName), filepath.Join(root, Dir, ".gitignore")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// Rule 4: a .devstack that the repository ships as a link into git's metadata gets
// nothing written through it: no lock, no .gitignore, no secrets.
func TestStateNeverLandsInVCSMetadata(t *testing.T) {
	for name, target := range map[string]string{
		"into .git":         ".git/devstack",
		"into .git's hooks": ".git/hooks",
		"into .hg":          ".HG/store",
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, target), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, filepath.Join(root, Dir)); err != nil {
				t.Fatal(err)
			}
			var me *userfile.MetadataError
			if _, err := LockProject(context.Background(), root, LockOptions{}); !errors.As(err, &me) {
				t.Errorf("LockProject: %v; want a MetadataError", err)
			}
			s, err := LoadSecrets(root)
			if err != nil {
				t.Fatal(err)
			}
			s.Get("K")
			if err := s.Save(); !errors.As(err, &me) {
				t.Errorf("Save: %v; want a MetadataError", err)
			}
			if entries, _ := os.ReadDir(filepath.Join(root, target)); len(entries) != 0 {
				t.Errorf("written into %s: %v", target, entries)
			}
		})
	}
}
