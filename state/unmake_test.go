package state

import (
	"context"
	"os"
	"path/filepath"
	"testing"
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
