package userfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MetadataError is a path devstack would write that lands in a version-control system's
// own metadata: a .git, .hg or .svn directory, or the directory a .git file points to.
// Whatever is written there is read by git, hg or svn as their configuration or hooks
// (core.fsmonitor in .git/config runs a command on the next git status), so no write of
// devstack's may land there, whatever the link that leads it there.
type MetadataError struct {
	Path     string // as the repository or devstack named it
	Resolved string // where it really leads
	Metadata string // the metadata directory it lands in
}

func (e *MetadataError) Error() string {
	if e.Resolved != "" && e.Resolved != e.Path {
		return fmt.Sprintf("%s leads to %s, inside the version-control metadata %s; devstack never writes there", e.Path, e.Resolved, e.Metadata)
	}
	return fmt.Sprintf("%s is inside the version-control metadata %s; devstack never writes there", e.Path, e.Metadata)
}

// Hint says what to do: the link is the repository's, the fix is to remove it.
func (e *MetadataError) Hint() string {
	return "a file devstack writes may not lead into .git, .hg or .svn (through a link either): " +
		"remove the link, or name a plain file in the project (env_file: .env)"
}

// vcsDirs are the metadata directories of the version-control systems devstack knows a
// project may sit in. Compared without regard to case (macOS and Windows file systems
// are case-insensitive, so .GIT is .git there), and after the spellings those file systems
// take for the same name: trailing dots and spaces (Windows) and the code points HFS+
// ignores (git refuses the same set for the same reason, CVE-2014-9390).
var vcsDirs = []string{".git", ".hg", ".svn"}

// Writable is Within for a file devstack is about to write, append to or create: the real
// path, inside root, and never inside version-control metadata (see MetadataError).
func Writable(root, path string) (string, error) {
	real, err := Within(root, path)
	if err != nil {
		return "", err
	}
	if err := NotMetadata(path, real); err != nil {
		return "", err
	}
	return real, nil
}

// NotMetadata refuses a resolved absolute path (Within's result) that lies in a .git, .hg
// or .svn directory at any depth, or in the directory that a .git file or link in any of
// its parents points to (a worktree's or submodule's gitdir, and that repository's common
// directory). path is what the caller named, for the message.
func NotMetadata(path, resolved string) error {
	resolved = filepath.Clean(resolved)
	for _, elem := range strings.Split(filepath.ToSlash(resolved), "/") {
		if isVCSName(elem) {
			return &MetadataError{Path: path, Resolved: resolved, Metadata: metadataDir(resolved, elem)}
		}
	}
	for dir := filepath.Dir(resolved); ; dir = filepath.Dir(dir) {
		if looksLikeGitDir(dir) {
			return &MetadataError{Path: path, Resolved: resolved, Metadata: dir}
		}
		for _, gitdir := range pointedGitDirs(filepath.Join(dir, ".git")) {
			if inside(gitdir, resolved) {
				return &MetadataError{Path: path, Resolved: resolved, Metadata: gitdir}
			}
		}
		if parent := filepath.Dir(dir); parent == dir {
			return nil
		}
	}
}

// looksLikeGitDir is git's own test for a repository directory, whatever its name: a
// bare repository shipped in a project, or the directory a .git file elsewhere points to
// (a submodule's or worktree's gitdir), holds HEAD and objects/ (or, for a worktree, a
// commondir file naming the directory that holds them).
func looksLikeGitDir(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	if st, err := os.Stat(filepath.Join(dir, "objects")); err == nil && st.IsDir() {
		return true
	}
	st, err := os.Lstat(filepath.Join(dir, "commondir"))
	return err == nil && st.Mode().IsRegular()
}

// isVCSName reports whether one path element names a metadata directory, as a
// case-insensitive file system would read it.
func isVCSName(elem string) bool {
	elem = strings.Map(func(r rune) rune {
		if hfsIgnorable(r) {
			return -1
		}
		return r
	}, elem)
	elem = strings.TrimRight(elem, ". ")
	for _, v := range vcsDirs {
		if strings.EqualFold(elem, v) {
			return true
		}
	}
	return false
}

// hfsIgnorable are the code points HFS+ drops when it compares names, so that ".g\u200cit"
// is ".git" on a Mac.
func hfsIgnorable(r rune) bool {
	switch {
	case r == 0x200c, r == 0x200d, r == 0x200e, r == 0x200f:
	case r >= 0x202a && r <= 0x202e:
	case r >= 0x206a && r <= 0x206f:
	case r == 0xfeff:
	default:
		return false
	}
	return true
}

// metadataDir is the resolved path up to and including the metadata element.
func metadataDir(resolved, elem string) string {
	i := strings.Index(filepath.ToSlash(resolved), "/"+elem)
	if i < 0 {
		return elem
	}
	return resolved[:i+1+len(elem)]
}

// pointedGitDirs is where a .git that is a file ("gitdir: …", as in a worktree or a
// submodule) or a link points, with that repository's common directory; nothing for a
// .git directory (its name alone is refused) or no .git at all.
func pointedGitDirs(dotgit string) []string {
	st, err := os.Lstat(dotgit)
	if err != nil || st.IsDir() {
		return nil
	}
	var gitdir string
	switch {
	case st.Mode()&os.ModeSymlink != 0:
		gitdir, err = realPath(dotgit)
		if err != nil {
			return nil
		}
	case st.Mode().IsRegular():
		target := firstLineAfter(dotgit, "gitdir:")
		if target == "" {
			return nil
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(dotgit), target)
		}
		if gitdir, err = realPath(filepath.Clean(target)); err != nil {
			return nil
		}
	default:
		return nil
	}
	dirs := []string{gitdir}
	if common := firstLineAfter(filepath.Join(gitdir, "commondir"), ""); common != "" {
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitdir, common)
		}
		if c, err := realPath(filepath.Clean(common)); err == nil {
			dirs = append(dirs, c)
		}
	}
	return dirs
}

// firstLineAfter reads the first line of a small file and returns what follows prefix on
// it, trimmed; "" when the file is missing, large or says something else.
func firstLineAfter(path, prefix string) string {
	if st, err := os.Lstat(path); err != nil || !st.Mode().IsRegular() {
		return "" // never open a FIFO or a device: it could block or have effects
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), 4096)
	if !sc.Scan() {
		return ""
	}
	line, ok := strings.CutPrefix(sc.Text(), prefix)
	if !ok {
		return ""
	}
	return strings.TrimSpace(line)
}
