// Package gitrepo answers what devstack needs to know of the git work tree a project is
// in, without running git: where the work tree begins, whether git ignores a path, and
// whether a path is tracked (in the index).
//
// devstack runs on a fresh clone before anyone read it; a repository's own git config
// can make git run commands (core.fsmonitor, core.hooksPath, filters), so devstack reads
// the few files it needs itself, read-only: .gitignore files, .git/info/exclude and
// .git/index. go-git's gitignore and index packages would do the same for ~270 KB of
// binary and a dozen more modules; these two questions are small enough to answer here.
package gitrepo

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Top is the root of the git work tree dir is in: the nearest directory, dir or a
// parent, holding .git (a directory, or the file a worktree or submodule has), or "".
func Top(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// maxGitFile bounds what is read of .git as a file, and of each ignore file.
const maxGitFile = 1 << 20

// GitDir is the git directory of the work tree at top: .git itself, or where the .git
// file of a worktree or submodule points ("gitdir: PATH").
func GitDir(top string) (string, error) {
	dotgit := filepath.Join(top, ".git")
	st, err := os.Lstat(dotgit)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return dotgit, nil
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is neither a directory nor a file", dotgit)
	}
	data, err := readSmall(dotgit)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	dir, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", fmt.Errorf("%s does not name a git directory (gitdir: …)", dotgit)
	}
	dir = strings.TrimSpace(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(top, dir)
	}
	return dir, nil
}

// readSmall reads a regular file of at most maxGitFile bytes; a link, a FIFO or a device
// is not read (git itself does not follow a .gitignore that is a link).
func readSmall(path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxGitFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxGitFile {
		return nil, fmt.Errorf("%s is larger than 1 MiB", path)
	}
	return data, nil
}

// Ignored says whether git ignores rel, a slash-separated path of a file relative to
// the work tree at top, by the repository's own rules: .git/info/exclude, then every
// .gitignore from the top down to rel's directory (a deeper file, and a later line, wins;
// a path under an ignored directory is ignored whatever a later line says). The user's
// global excludes file is not read: the project's .gitignore should hold what every
// clone needs.
func Ignored(top, rel string) (bool, error) {
	rel = strings.Trim(filepath.ToSlash(rel), "/")
	var rules []rule
	if gd, err := GitDir(top); err == nil {
		r, err := readRules(filepath.Join(gd, "info", "exclude"), "")
		if err != nil {
			return false, err
		}
		rules = append(rules, r...)
	}
	parts := strings.Split(rel, "/")
	for i := range parts {
		base := strings.Join(parts[:i], "/")
		r, err := readRules(filepath.Join(top, filepath.FromSlash(base), ".gitignore"), base)
		if err != nil {
			return false, err
		}
		rules = append(rules, r...)
		// A directory git ignores is not descended into: nothing under it comes back.
		if i > 0 && match(rules[:len(rules)-len(r)], base, true) {
			return true, nil
		}
	}
	return match(rules, rel, false), nil
}

// readRules reads one ignore file; a missing one has no rules.
func readRules(path, base string) ([]rule, error) {
	data, err := readSmall(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rules []rule
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 4096), maxGitFile)
	for sc.Scan() {
		if r, ok := parseRule(sc.Text(), base); ok {
			rules = append(rules, r)
		}
	}
	return rules, sc.Err()
}

// match is the verdict of the last rule that matches path: ignored, or not when that
// rule is a negation or none matches.
func match(rules []rule, path string, isDir bool) bool {
	ignored := false
	for _, r := range rules {
		if r.matches(path, isDir) {
			ignored = !r.negate
		}
	}
	return ignored
}
