package bootstrap

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/devstack-dev/devstack/gitrepo"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/state"
	"github.com/devstack-dev/devstack/userfile"
)

// ignoreEntry is one path devstack keeps out of git, and the line that does it.
type ignoreEntry struct {
	rel     string // slash-separated, relative to the project root
	dir     bool
	comment string
}

// stateDirEntry is devstack's own state: generated credentials, records, cache.
var stateDirEntry = ignoreEntry{rel: state.Dir, dir: true, comment: "devstack's private state: generated credentials, fixture records, cache"}

// envFileEntry is the file bootstrap writes the connection settings, passwords
// included, into.
func envFileEntry(envFile string) ignoreEntry {
	return ignoreEntry{rel: filepath.ToSlash(filepath.Clean(envFile)), comment: "connection settings with generated passwords, written by devstack bootstrap"}
}

// pattern is the .gitignore line for e, matching it and nothing else.
func (e ignoreEntry) pattern() string {
	if e.dir && e.rel == state.Dir {
		return state.Dir + "/" // as init has always written it
	}
	p := gitrepo.Escape(e.rel)
	if e.dir {
		p += "/"
	}
	return p
}

// ensureIgnored adds to the project's .gitignore each entry git does not ignore yet, and
// keeps every other byte of the file (userfile: whole or not at all, mode and owner
// kept). In a git work tree the repository's own rules decide what is ignored already
// (.gitignore files, info/exclude); elsewhere a line naming the entry does. It returns the
// .gitignore's path and the entries it added.
func ensureIgnored(root string, entries ...ignoreEntry) (string, []string, error) {
	path := filepath.Join(root, ".gitignore")
	text, added, err := ignoredText(root, entries...)
	if err != nil || len(added) == 0 {
		return path, nil, err
	}
	if err := userfile.Write(root, ".gitignore", []byte(text), userfile.Options{Mode: 0o644}); err != nil {
		return "", nil, err
	}
	return path, added, nil
}

// ignoredText is the project's .gitignore with each entry git does not ignore yet added,
// every other byte kept; added is empty when nothing is to be added (init writes the text
// in one batch with devstack.yaml).
func ignoredText(root string, entries ...ignoreEntry) (string, []string, error) {
	// The same refusal, with its fix, as a write would make, before anything reads
	// through a .gitignore that leads where devstack never writes.
	if err := userfile.Check(root, ".gitignore"); err != nil {
		return "", nil, err
	}
	data, err := userfile.Read(root, ".gitignore")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", nil, err
	}
	top := gitrepo.Top(root)
	var add []ignoreEntry
	for _, e := range entries {
		covered, err := isIgnored(root, top, string(data), e)
		if err != nil {
			return "", nil, err
		}
		if !covered {
			add = append(add, e)
		}
	}
	if len(add) == 0 {
		return string(data), nil, nil
	}
	text := string(data)
	eol := "\n"
	if strings.Contains(text, "\r\n") {
		eol = "\r\n"
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += eol
	}
	var added []string
	for _, e := range add {
		text += "# " + e.comment + eol + e.pattern() + eol
		added = append(added, e.rel)
	}
	return text, added, nil
}

// isIgnored says whether git ignores e already: by the repository's rules in a work tree
// (a later "!.env" undoes an earlier ".env"), else by a line of the project's .gitignore
// that names it.
func isIgnored(root, top, gitignore string, e ignoreEntry) (bool, error) {
	if top == "" {
		for _, line := range strings.Split(gitignore, "\n") {
			l := strings.TrimSpace(line)
			if l == e.rel || l == e.rel+"/" || l == "/"+e.rel || l == "/"+e.rel+"/" || l == e.pattern() {
				return true, nil
			}
		}
		return false, nil
	}
	rel, err := relToTop(root, top, e.rel)
	if err != nil {
		return false, err
	}
	if e.dir {
		rel += "/x" // a file inside: ignored when the directory is
	}
	return gitrepo.Ignored(top, rel)
}

// relToTop is a project path relative to the git work tree's top, slash-separated.
func relToTop(root, top, rel string) (string, error) {
	r, err := filepath.Rel(top, filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(r), nil
}

// TrackedEnvError is an env file git tracks: ignoring it changes nothing, so devstack
// writes no secret into it.
type TrackedEnvError struct{ EnvFile string }

func (e *TrackedEnvError) Error() string {
	return fmt.Sprintf("%s is tracked by git: devstack writes no passwords into it, as the next commit would publish them", e.EnvFile)
}

// Hint is the two ways out.
func (e *TrackedEnvError) Hint() string {
	return fmt.Sprintf("untrack it and keep the file: git rm --cached %s (commit that), then run devstack bootstrap again; "+
		"or have devstack write another file: env_file: .env.local in devstack.yaml", e.EnvFile)
}

// guardEnvFile makes sure git will not commit the env file before any secret is written
// into it: in a git work tree, a tracked one is refused, and one git does not ignore yet
// is added to the project's .gitignore. It says what it did, or "".
func guardEnvFile(root, envFile string) (string, error) {
	top := gitrepo.Top(root)
	if top == "" {
		return "", nil
	}
	e := envFileEntry(envFile)
	rel, err := relToTop(root, top, e.rel)
	if err != nil {
		return "", err
	}
	tracked, err := gitrepo.Tracked(top, rel)
	if err != nil {
		return "", output.WithHint(fmt.Errorf("cannot tell whether git tracks %s, so no passwords are written into it: %w", envFile, err),
			"run git status to see whether the repository is sound; or set env_file: to a file git ignores")
	}
	if tracked {
		return "", &TrackedEnvError{EnvFile: envFile}
	}
	gi, added, err := ensureIgnored(root, e)
	if err != nil {
		return "", fmt.Errorf("keep %s out of git: %w", envFile, err)
	}
	if len(added) > 0 {
		return fmt.Sprintf("; %s added to %s, as git did not ignore it", envFile, gi), nil
	}
	return "", nil
}
