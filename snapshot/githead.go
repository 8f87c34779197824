package snapshot

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/gitrepo"
)

// gitHead is the branch and commit of the work tree root is in, read from HEAD and the
// refs without running git (a repository's config can make git run commands); nil
// outside a repository. What cannot be read is left empty: it is a note in the manifest.
func gitHead(root string) *capsule.Git {
	top := gitrepo.Top(root)
	if top == "" {
		return nil
	}
	dir, err := gitrepo.GitDir(top)
	if err != nil {
		return nil
	}
	head := readLine(filepath.Join(dir, "HEAD"))
	ref, isRef := strings.CutPrefix(head, "ref: ")
	if !isRef {
		if isHash(head) {
			return &capsule.Git{Commit: head} // detached
		}
		return nil
	}
	g := &capsule.Git{Branch: strings.TrimPrefix(ref, "refs/heads/")}
	if !strings.HasPrefix(ref, "refs/") || strings.Contains(ref, "..") {
		return g
	}
	common := dir // a worktree keeps its refs in the main repository's directory
	if c := readLine(filepath.Join(dir, "commondir")); c != "" {
		if !filepath.IsAbs(c) {
			c = filepath.Join(dir, c)
		}
		common = c
	}
	for _, d := range []string{dir, common} {
		if h := readLine(filepath.Join(d, filepath.FromSlash(ref))); isHash(h) {
			g.Commit = h
			return g
		}
	}
	g.Commit = packedRef(filepath.Join(common, "packed-refs"), ref)
	return g
}

func packedRef(file, ref string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hash, name, ok := strings.Cut(sc.Text(), " ")
		if ok && name == ref && isHash(hash) {
			return hash
		}
	}
	return ""
}

// readLine is a small regular file's first line, trimmed; "" when it cannot be read.
func readLine(file string) string {
	st, err := os.Lstat(file)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 4096 {
		return ""
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSpace(line)
}

func isHash(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
