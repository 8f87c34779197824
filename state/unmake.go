package state

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Existed reports whether the project's state directory is there (or anything by its
// name), so that a command can tell afterwards whether it made it.
func Existed(root string) bool {
	_, err := os.Lstat(filepath.Join(root, Dir))
	return err == nil
}

// Unmake removes the state directory a failed command made only to take the project's
// lock (EnsureDir's .gitignore and the lock file), so that the command leaves the project
// as it found it (init: all or nothing). Anything else in it, such as another command's
// state written meanwhile, keeps the directory, and is never removed. Call it after the
// lock is released, and only when the directory did not exist before the command.
func Unmake(root string) error {
	dir := filepath.Join(root, Dir)
	if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if (e.Name() != lockFileName && e.Name() != ".gitignore") || !e.Type().IsRegular() {
			return nil
		}
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
