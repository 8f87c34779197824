package grammar

import (
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
)

// git's sinks: a fixture source becomes git's argv. go-getter's git getter runs
// `git clone URL DST` and `git checkout REF` with no `--` or `--end-of-options` before
// them, so a ref such as `--pathspec-from-file=~/.ssh/id_ed25519` was an option, and git
// printed the file (issue 18, row 4). devstack does not rewrite go-getter's calls; it
// makes option injection impossible by argument validation before any call: no ref, URL,
// user, host or path that reaches git may start with '-', and each has git's own grammar.
// config.ParseSource applies these at load and again right before the fetch.

// GitFix says what a git source looks like.
const GitFix = "write git::https://host/org/repo.git//sub/dir?ref=v1.2.0 (ref: a tag, branch or commit)"

// GitRef is a ref as git-check-ref-format(1) defines a valid one (rules 1, 3–10; one-level
// names such as main are allowed), and more: it never starts with '-' (git would read it
// as an option), it is printable ASCII, at most 255 bytes. A commit id fits too.
func GitRef(ref string) error {
	bad := func(rule string) error { return refuse("ref "+rule, GitFix) }
	switch {
	case ref == "":
		return bad("is empty")
	case strings.HasPrefix(ref, "-"):
		return bad("must not start with '-' (git would read it as an option)")
	case len(ref) > 255:
		return bad("is longer than 255 bytes")
	case ref == "@":
		return bad("must not be @")
	case strings.HasPrefix(ref, "/") || strings.HasSuffix(ref, "/") || strings.Contains(ref, "//"):
		return bad("must not start or end with '/' or hold '//'")
	case strings.HasSuffix(ref, "."):
		return bad("must not end with '.'")
	case strings.Contains(ref, ".."), strings.Contains(ref, "@{"):
		return bad("must not hold '..' or '@{'")
	}
	for i := 0; i < len(ref); i++ {
		if c := ref[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("~^:?*[\\", c) >= 0 {
			return bad("may not hold spaces, control characters, non-ASCII or any of ~ ^ : ? * [ \\")
		}
	}
	for _, part := range strings.Split(ref, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return bad("parts must not start with '.' or end with .lock")
		}
	}
	return nil
}

// GitSubdir is the `//sub/dir` of a git source: a directory inside the clone, written
// relative and clean (no '..', '.', leading '/' or '-', no glob characters, which go-getter
// would expand), of printable ASCII without '\' or ':'.
func GitSubdir(dir string) error {
	bad := func(rule string) error { return refuse("subdirectory "+rule, GitFix) }
	switch {
	case dir == "":
		return bad("is empty")
	case strings.HasPrefix(dir, "/"):
		return bad("must be relative to the repository")
	case path.Clean(dir) != dir, dir == ".", dir == "..", strings.HasPrefix(dir, "../"):
		return bad("must be a clean path inside the repository: no '..', '.' or '//'")
	case strings.HasPrefix(dir, "-"):
		return bad("must not start with '-'")
	}
	for i := 0; i < len(dir); i++ {
		if c := dir[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("*?[]{}\\:", c) >= 0 {
			return bad("may not hold spaces, control characters, non-ASCII or any of * ? [ ] { } \\ :")
		}
	}
	return nil
}

// GitQuery is the `?…` of a git source: only ref (GitRef) and depth (a whole number). Any
// other parameter is go-getter's, not the repository's: sshkey would hand ssh a key the
// repository chose.
func GitQuery(raw string) error {
	if raw == "" {
		return nil
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return refuse("query cannot be read", GitFix)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same source, the same message
	for _, k := range keys {
		vs := q[k]
		if len(vs) != 1 {
			return refuse("query parameter "+strconv.Quote(prefixOf(k))+" must appear once", GitFix)
		}
		switch k {
		case "ref":
			if err := GitRef(vs[0]); err != nil {
				return err
			}
		case "depth":
			if n, err := strconv.Atoi(vs[0]); err != nil || n < 1 || n > 1_000_000 {
				return refuse("depth must be a whole number from 1", GitFix)
			}
		default:
			return refuse("query parameter "+strconv.Quote(prefixOf(k))+" is not one devstack passes to git (only ref and depth)", GitFix)
		}
	}
	return nil
}

// GitRemote is a remote repository as devstack hands it to git: https, http, ssh or git
// URL, or scp-like user@host:path, with an optional //subdir and ?ref=&depth=. Other
// transports (ext::, fd::, file:// to another host…) are refused before here: ext:: runs
// a command. No part git reads may start with '-' (ssh://-oProxyCommand=…), and the host
// is a host name or a bracketed IPv6 address.
func GitRemote(remote string) error {
	if hasControl(remote) || strings.ContainsAny(remote, " \\") {
		return refuse("may not hold spaces, control characters or '\\'", GitFix)
	}
	rest, query, _ := strings.Cut(remote, "?")
	if err := GitQuery(query); err != nil {
		return err
	}
	if strings.Contains(remote, "#") {
		return refuse("must not hold a fragment '#'", GitFix)
	}
	scheme, after, isURL := strings.Cut(rest, "://")
	if !isURL {
		return gitSCP(rest)
	}
	switch strings.ToLower(scheme) {
	case "https", "http", "ssh", "git":
	default:
		return refuse("git over "+prefixOf(scheme)+":// is not fetched by devstack", GitFix)
	}
	repo, subdir, hasSub := strings.Cut(after, "//")
	if hasSub {
		if err := GitSubdir(subdir); err != nil {
			return err
		}
	}
	u, err := url.Parse(scheme + "://" + repo)
	if err != nil {
		return refuse("is not a URL git can read", GitFix)
	}
	if err := gitHost(u.Hostname()); err != nil {
		return err
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return refuse("port must be 1 to 65535", GitFix)
		}
	}
	if u.User != nil && strings.HasPrefix(u.User.Username(), "-") {
		return refuse("user must not start with '-'", GitFix)
	}
	if u.Path == "" || u.Path == "/" {
		return refuse("names no repository path", GitFix)
	}
	return nil
}

// gitSCP is user@host:path, git's short form for ssh. "::" never belongs in it: it is
// the syntax of git's remote helpers (transport::address) and go-getter's forced
// getters, so a path holding it would be read by another grammar than this one.
func gitSCP(s string) error {
	if strings.Contains(s, "::") {
		return refuse("must not hold '::' (git's remote-helper syntax)", GitFix)
	}
	userHost, p, ok := strings.Cut(s, ":")
	user, host, hasUser := strings.Cut(userHost, "@")
	if !ok || !hasUser {
		return refuse("is not a git URL (https://host/repo.git) or user@host:repo", GitFix)
	}
	if user == "" || !onlyOf(user, lower+upper+digits+"._~-") || strings.HasPrefix(user, "-") {
		return refuse("user must be letters, digits and . _ ~ -, not starting with '-'", GitFix)
	}
	if err := gitHost(host); err != nil {
		return err
	}
	repo, subdir, hasSub := strings.Cut(p, "//")
	if repo == "" || strings.HasPrefix(repo, "-") || strings.HasPrefix(repo, "/") && len(repo) == 1 {
		return refuse("repository path must be given and not start with '-'", GitFix)
	}
	if hasSub {
		return GitSubdir(subdir)
	}
	return nil
}

// gitHost is a DNS name or an IP address: what ssh and curl take as a host, never an
// option.
func gitHost(h string) error {
	if h == "" {
		return refuse("names no host", GitFix)
	}
	if strings.Contains(h, ":") { // an IPv6 address, brackets already removed by url
		if onlyOf(h, digits+"abcdefABCDEF:.") {
			return nil
		}
		return refuse("host is not a host name or an IP address", GitFix)
	}
	if len(h) > 253 || !onlyOf(h, lower+upper+digits+".-") || strings.HasPrefix(h, "-") || strings.HasPrefix(h, ".") {
		return refuse("host must be a host name (letters, digits, '.', '-', not starting with '-' or '.')", GitFix)
	}
	return nil
}

// prefixOf bounds a quoted piece of input.
func prefixOf(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
