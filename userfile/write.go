package userfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadOnlyError is a file its owner made read-only: devstack does not overrule that.
type ReadOnlyError struct{ Path string }

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("%s is read-only; devstack does not replace a file its owner protected", e.Path)
}

// Hint says how to let devstack write it, or how to do without.
func (e *ReadOnlyError) Hint() string {
	return fmt.Sprintf("make it writable (chmod u+w %s) and run the command again, or point devstack at another file", e.Path)
}

// NotRegularError is a path that names a directory, device or other non-file.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is not a regular file (%s); devstack only writes regular files", e.Path, e.Mode.Type())
}

// Hint says what to do.
func (e *NotRegularError) Hint() string {
	return "move it out of the way, or point devstack at a regular file"
}

// Options say how to write a file.
type Options struct {
	// Mode is the permission of a file that does not exist yet; an existing file keeps
	// its own. Zero means 0644.
	Mode fs.FileMode
}

// Read returns the content of path, relative to root unless absolute, read through links
// only when they stay inside root. A file that does not exist reads as fs.ErrNotExist.
func Read(root, path string) ([]byte, error) {
	real, err := Within(root, path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// Write replaces the file at path (relative to root unless absolute) with data, so that
// any reader, or a crash, sees either the old content or the new, never a mix or an
// empty file. A link is written through (the link stays, its target changes) only when
// the target is inside root and not in version-control metadata (Writable). An existing
// file keeps its mode and owner; a read-only one is refused, as is anything but a regular
// file.
func Write(root, path string, data []byte, opts Options) error {
	t, err := check(root, path, opts)
	if err != nil {
		return err
	}
	tmp, err := stage(t, data)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, t.real); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(filepath.Dir(t.real))
	return nil
}

// Check refuses, before anything is written, what Write would refuse: a command that
// writes only after a long step (bootstrap's .env, after the stack is up) checks first.
func Check(root, path string) error {
	_, err := check(root, path, Options{})
	return err
}

// stage writes data to a temporary file beside the target, with the target's mode and
// owner, synced: renamed over the target, it replaces it atomically (a rename within one
// directory is), and the content is durable before the rename makes it visible.
func stage(t target, data []byte) (name string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(t.real), "."+filepath.Base(t.real)+".devstack-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(t.mode); err != nil {
		return "", err
	}
	if err = keepOwner(tmp, t.uid, t.gid); err != nil {
		return "", err
	}
	if _, err = tmp.Write(data); err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}
