package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/userfile"
)

// SourceKind is how a fixture's source is fetched.
type SourceKind int

const (
	// LocalSource is a file or directory inside the project, read where it is.
	LocalSource SourceKind = iota
	// GitSource is a git repository, cloned by go-getter's git getter.
	GitSource
	// HTTPSource is an http(s) download, an archive or a single file.
	HTTPSource
)

// Source is a fixture source as devstack will fetch it: a repository names it, so it is
// classified by devstack's own rule, never by go-getter's detectors, which would turn a
// plain string into a git clone, or `file::/etc` into a read anywhere on the machine.
type Source struct {
	Kind SourceKind
	// Path is where a LocalSource, or a GitSource cloned from a local repository, really
	// is (links resolved, inside the project).
	Path string
	// Get is what go-getter is handed for git and http sources: the source as written,
	// or, for a local repository, rewritten to the resolved path.
	Get string
	// Checksum is the source's sha256:… or sha512:… parameter, "" when it has none.
	Checksum string
}

// SourceError is a source devstack refuses, with what to write instead.
type SourceError struct {
	Msg string
	Fix string
}

func (e *SourceError) Error() string { return e.Msg }
func (e *SourceError) Hint() string  { return e.Fix }

// SourceFix names the sources devstack fetches.
const SourceFix = "use a path inside the project (./fixtures/sql), git::https://host/repo.git?ref=TAG, " +
	"or an https:// archive with ?checksum=sha256:HEX"

var (
	forcedRE = regexp.MustCompile(`^([A-Za-z0-9]+)::(.*)$`)
	// scpLikeRE is git's user@host:path form, which git reaches over ssh.
	scpLikeRE   = regexp.MustCompile(`^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^/]`)
	checksumRE  = regexp.MustCompile(`^(sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128})$`)
	remoteGitOK = map[string]bool{"https": true, "http": true, "ssh": true, "git": true}
)

// ParseSource classifies a fixture source and confines every local path it names to
// root (links resolved). It is called when the configuration is loaded, and again right
// before the fetch, since links can change in between.
func ParseSource(c Confine, src string) (*Source, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &SourceError{Msg: "is empty", Fix: SourceFix}
	}
	if m := forcedRE.FindStringSubmatch(src); m != nil {
		if strings.ToLower(m[1]) != "git" {
			return nil, &SourceError{Msg: fmt.Sprintf("%s:: sources are not fetched by devstack", prefix(m[1])), Fix: SourceFix}
		}
		return parseGit(c, m[2])
	}
	if scheme, _, ok := strings.Cut(src, "://"); ok {
		switch strings.ToLower(scheme) {
		case "http", "https":
			sum, err := checksumOf(src)
			if err != nil {
				return nil, err
			}
			return &Source{Kind: HTTPSource, Get: src, Checksum: sum}, nil
		case "file":
			p, err := fileURLPath(src)
			if err != nil {
				return nil, err
			}
			return local(c, p)
		}
		return nil, &SourceError{Msg: fmt.Sprintf("%s:// sources are not fetched by devstack", prefix(scheme)), Fix: SourceFix}
	}
	return local(c, src)
}

func local(c Confine, p string) (*Source, error) {
	resolved, err := c.Path(p)
	if err != nil {
		return nil, err
	}
	return &Source{Kind: LocalSource, Path: resolved}, nil
}

// parseGit accepts a remote repository, or a local one inside the project, which it
// rewrites to its resolved path so that what is cloned is what was checked.
func parseGit(c Confine, inner string) (*Source, error) {
	if forcedRE.MatchString(inner) {
		return nil, &SourceError{Msg: "git:: is followed by another forced getter or git transport", Fix: SourceFix}
	}
	if strings.HasPrefix(inner, "-") {
		return nil, &SourceError{Msg: "a git source cannot start with '-'", Fix: SourceFix}
	}
	// Everything git is handed (URL, user, host, //subdir, ?ref=) has git's grammar:
	// go-getter runs `git clone URL` and `git checkout REF` with no `--`, so the grammar
	// is what keeps an option out of git's argv (grammar/git.go).
	if scheme, _, ok := strings.Cut(inner, "://"); ok {
		scheme = strings.ToLower(scheme)
		if remoteGitOK[scheme] {
			if err := grammar.GitRemote(inner); err != nil {
				return nil, gitRefused(err)
			}
			return &Source{Kind: GitSource, Get: "git::" + inner}, nil
		}
		if scheme != "file" {
			return nil, &SourceError{Msg: fmt.Sprintf("git over %s:// is not fetched by devstack", prefix(scheme)), Fix: SourceFix}
		}
		inner = inner[len("file://"):]
	} else if scpLikeRE.MatchString(inner) {
		if err := grammar.GitRemote(inner); err != nil {
			return nil, gitRefused(err)
		}
		return &Source{Kind: GitSource, Get: "git::" + inner}, nil
	}
	// A local repository: path, then go-getter's //subdir and ?query.
	pathPart, query, _ := strings.Cut(inner, "?")
	repo, subdir := pathPart, ""
	if i := strings.Index(pathPart[min(1, len(pathPart)):], "//"); i >= 0 {
		i += min(1, len(pathPart))
		repo, subdir = pathPart[:i], pathPart[i:]
		if err := grammar.GitSubdir(subdir[2:]); err != nil {
			return nil, gitRefused(err)
		}
	}
	if err := grammar.GitQuery(query); err != nil {
		return nil, gitRefused(err)
	}
	if u, err := url.PathUnescape(repo); err == nil {
		repo = u
	}
	resolved, err := c.Path(repo)
	if err != nil {
		return nil, err
	}
	get := "git::file://" + filepath.ToSlash(resolved) + subdir
	if query != "" {
		get += "?" + query
	}
	return &Source{Kind: GitSource, Path: resolved, Get: get}, nil
}

// gitRefused is a git source outside git's grammar, as a SourceError.
func gitRefused(err error) error {
	var v *grammar.Violation
	if errors.As(err, &v) {
		return &SourceError{Msg: "git source: " + v.Rule, Fix: v.Fix}
	}
	return &SourceError{Msg: "git source: " + err.Error(), Fix: grammar.GitFix}
}

func fileURLPath(src string) (string, error) {
	u, err := url.Parse(src)
	if err != nil {
		return "", &SourceError{Msg: "file URL cannot be read: " + Redact(err.Error()), Fix: SourceFix}
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", &SourceError{Msg: "a file:// URL names another host", Fix: SourceFix}
	}
	if u.RawQuery != "" {
		return "", &SourceError{Msg: "a file:// URL takes no query", Fix: SourceFix}
	}
	return u.Path, nil
}

// checksumOf returns the checksum parameter of a download, refusing the ones that prove
// nothing (md5, sha1) and go-getter's `file:` form, which would fetch another URL.
func checksumOf(src string) (string, error) {
	u, err := url.Parse(src)
	if err != nil {
		return "", &SourceError{Msg: "URL cannot be read: " + Redact(err.Error()), Fix: SourceFix}
	}
	sums := u.Query()["checksum"]
	switch {
	case len(sums) == 0:
		return "", nil
	case len(sums) > 1:
		return "", &SourceError{Msg: "has more than one checksum parameter", Fix: "keep one: ?checksum=sha256:HEX"}
	}
	sum := sums[0]
	if checksumRE.MatchString(sum) {
		return strings.ToLower(sum), nil
	}
	algo, _, _ := strings.Cut(sum, ":")
	switch strings.ToLower(algo) {
	case "md5", "sha1":
		return "", &SourceError{Msg: fmt.Sprintf("checksum %s: is too weak to trust a download by", strings.ToLower(algo)),
			Fix: "use sha256: run `sha256sum FILE` and write ?checksum=sha256:HEX"}
	}
	return "", &SourceError{Msg: "checksum must be sha256:HEX (64 hex digits) or sha512:HEX (128)",
		Fix: "run `sha256sum FILE` and write ?checksum=sha256:HEX"}
}

// sourceError turns a refused source into a config error at the fixture's line.
func sourceError(file string, line int, key string, err error) error {
	var se *SourceError
	var oe *userfile.OutsideError
	switch {
	case errors.As(err, &se):
		return &Error{File: file, Line: line, Key: key, Msg: se.Msg, Fix: se.Fix}
	case errors.As(err, &oe):
		return &Error{File: file, Line: line, Key: key, Msg: oe.Error(), Fix: oe.Hint() +
			"; to allow it all the same, type --allow-outside " + oe.Resolved + " on the command line"}
	}
	return &Error{File: file, Line: line, Key: key, Msg: err.Error(),
		Fix: "name a file or directory inside the project that devstack can read"}
}
