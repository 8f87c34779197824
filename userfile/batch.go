package userfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Batch writes several files as one change: all of them, or, when any cannot be written,
// none (the project is left exactly as it was). A command that writes several files for
// the user (init's devstack.yaml and .gitignore) writes them through one Batch.
//
// Commit checks every target first (Writable: inside the project, not in version-control
// metadata; a regular file or absent; not read-only), then stages every new content as a
// synced temporary file beside its target, and keeps a copy of every file it replaces;
// only then does it rename the staged files into place, one by one. A failure before the
// first rename leaves nothing but removed temporary files; a failure after it puts every
// replaced file back from its copy (with its mode and owner) and removes the files it
// created. Each rename is atomic, so a reader sees each file old or new, never mixed.
type Batch struct {
	root  string
	files []batchFile
}

type batchFile struct {
	path string
	data []byte
	opts Options
}

// NewBatch is an empty batch of files under root.
func NewBatch(root string) *Batch { return &Batch{root: root} }

// Add puts a file in the batch; the last Add of a path wins.
func (b *Batch) Add(path string, data []byte, opts Options) {
	b.files = append(b.files, batchFile{path: path, data: data, opts: opts})
}

// staged is one file ready to be renamed into place.
type staged struct {
	path, real string
	tmp        string // the new content
	backup     string // the old content, "" when the file did not exist
	done       bool   // renamed into place
}

// beforeRename lets tests fail a commit between two renames.
var beforeRename = func(path string) error { return nil }

// Commit writes every file of the batch, or none.
func (b *Batch) Commit() (err error) {
	var plan []*staged
	defer func() {
		if err == nil {
			for _, s := range plan {
				removeIf(s.backup)
			}
			return
		}
		err = errors.Join(err, rollback(plan))
	}()
	targets := make([]target, len(b.files))
	for i, f := range b.files {
		t, err := check(b.root, f.path, f.opts)
		if err != nil {
			return err
		}
		targets[i] = t
	}
	for i, f := range b.files {
		s := &staged{path: f.path, real: targets[i].real}
		plan = append(plan, s)
		if s.tmp, err = stage(targets[i], f.data); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		if targets[i].exists {
			old, err := os.ReadFile(targets[i].real)
			if err != nil {
				return fmt.Errorf("write %s: keep its old content: %w", f.path, err)
			}
			if s.backup, err = stage(targets[i], old); err != nil {
				return fmt.Errorf("write %s: keep its old content: %w", f.path, err)
			}
		}
	}
	for _, s := range plan {
		if err := beforeRename(s.path); err != nil {
			return fmt.Errorf("write %s: %w", s.path, err)
		}
		if err := os.Rename(s.tmp, s.real); err != nil {
			return fmt.Errorf("write %s: %w", s.path, err)
		}
		s.done, s.tmp = true, ""
	}
	return nil
}

// rollback puts back what a failed commit changed and removes what it staged.
func rollback(plan []*staged) error {
	var errs []error
	for i := len(plan) - 1; i >= 0; i-- {
		s := plan[i]
		removeIf(s.tmp)
		switch {
		case !s.done:
			removeIf(s.backup)
		case s.backup != "":
			if err := os.Rename(s.backup, s.real); err != nil {
				errs = append(errs, fmt.Errorf("put back %s: %w (its old content is in %s)", s.path, err, s.backup))
			}
		default:
			if err := os.Remove(s.real); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("remove %s again: %w", s.path, err))
			}
		}
	}
	return errors.Join(errs...)
}

func removeIf(p string) {
	if p != "" {
		os.Remove(p)
	}
}

// target is a file checked for writing: where it really is, and the mode and owner its
// new content gets.
type target struct {
	real     string
	mode     fs.FileMode
	uid, gid int
	exists   bool
}

// check is every refusal Write makes, before anything is written.
func check(root, path string, opts Options) (target, error) {
	real, err := Writable(root, path)
	if err != nil {
		return target{}, fmt.Errorf("write %s: %w", path, err)
	}
	t := target{real: real, mode: opts.Mode, uid: -1, gid: -1}
	if t.mode == 0 {
		t.mode = 0o644
	}
	st, err := os.Lstat(real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return target{}, fmt.Errorf("write %s: %w", path, err)
	case !st.Mode().IsRegular():
		return target{}, &NotRegularError{Path: path, Mode: st.Mode()}
	case st.Mode().Perm()&0o200 == 0:
		return target{}, &ReadOnlyError{Path: path}
	default:
		t.mode = st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
		t.uid, t.gid = owner(st)
		t.exists = true
	}
	return t, nil
}
