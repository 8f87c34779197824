// Package userfile is how devstack touches files on a repository's say-so: every path a
// devstack.yaml names is confined to the project root (symlinks resolved), and every file
// written for the user is written whole, keeping what devstack does not own.
package userfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// OutsideError is a path that leads out of the project root, as written or through a link.
type OutsideError struct {
	Path     string // as the repository wrote it
	Resolved string // where it really leads
	Root     string
}

func (e *OutsideError) Error() string {
	if e.Resolved != "" && e.Resolved != e.Path {
		return fmt.Sprintf("%s leads to %s, outside the project %s", e.Path, e.Resolved, e.Root)
	}
	return fmt.Sprintf("%s is outside the project %s", e.Path, e.Root)
}

// Hint says why devstack refuses: a repository is untrusted until its owner says otherwise.
func (e *OutsideError) Hint() string {
	return "a repository's devstack.yaml may only name files inside the project; move the file into the project, " +
		"or name a path inside it (links are followed, so a link that points out is refused too)"
}

// Within returns the real path that path names, relative to root unless absolute, after
// every symlink that exists is resolved; it refuses anything that ends outside root. A
// path that does not exist yet is resolved as far as it exists, so a file about to be
// created is judged by the directory it would land in.
func Within(root, path string) (string, error) {
	realRoot, err := realPath(root)
	if err != nil {
		return "", fmt.Errorf("project root %s: %w", root, err)
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, abs)
	}
	resolved, err := realPath(filepath.Clean(abs))
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	if !inside(realRoot, resolved) {
		return "", &OutsideError{Path: path, Resolved: resolved, Root: realRoot}
	}
	return resolved, nil
}

// realPath resolves the longest existing prefix of an absolute path through its links and
// keeps the rest as written.
func realPath(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for hops := 0; ; {
		r, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(append([]string{r}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		// A dangling link is not a missing file: follow it by hand, or a link to a path
		// that does not exist yet would be judged by the link's own directory.
		if target, lerr := os.Readlink(p); lerr == nil {
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(p), target)
			}
			if hops++; hops > 40 {
				return "", fmt.Errorf("%s: too many links", p)
			}
			p = filepath.Clean(target)
			continue
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(append([]string{p}, rest...)...), nil
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}

func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
