package grammar

import (
	"net/url"
	"path"
	"strings"
	"testing"
	"unicode"
)

// The fuzz targets check what each rule promises of everything it accepts, whatever the
// input: never a panic, and never an accepted string that the sink would read otherwise.

func FuzzMountPath(f *testing.F) {
	for _, s := range []string{"/data", "/data:/host", "/a/../b", "/data,src=/home"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if MountPath(s) != nil {
			return
		}
		if !strings.HasPrefix(s, "/") || s == "/" || path.Clean(s) != s || strings.ContainsAny(s, ":,= \n") || hasDotDotPart(s) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func hasDotDotPart(s string) bool {
	for _, p := range strings.Split(s, "/") {
		if p == ".." {
			return true
		}
	}
	return false
}

func FuzzSettingKey(f *testing.F) {
	for _, s := range []string{"DATABASE_URL", "PATH", "BASH_ENV", "DOCKER_HOST", "A_URL\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if SettingKey(s) != nil {
			return
		}
		first, _, _ := strings.Cut(s, "_")
		if strings.ContainsFunc(s, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') }) ||
			!strings.Contains(s, "_") || first == "DOCKER" || first == "GIT" || first == "LD" || first == "BASH" {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzGitRef(f *testing.F) {
	for _, s := range []string{"main", "v1.0", "--pathspec-from-file=x", "a..b", "a@{1}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if GitRef(s) != nil {
			return
		}
		if strings.HasPrefix(s, "-") || strings.ContainsAny(s, " ~^:?*[\\\n\x00") || strings.Contains(s, "..") {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzGitRemote(f *testing.F) {
	for _, s := range []string{"https://github.com/o/r.git?ref=v1", "git@h:o/r.git//d", "ssh://-oProxyCommand=x/r", "ext::sh -c x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if GitRemote(s) != nil {
			return
		}
		rest, q, _ := strings.Cut(s, "?")
		if vals, err := url.ParseQuery(q); err != nil || strings.HasPrefix(vals.Get("ref"), "-") || vals.Has("sshkey") {
			t.Fatalf("accepted query of %q", s)
		}
		if scheme, after, ok := strings.Cut(rest, "://"); ok {
			if u, err := url.Parse(scheme + "://" + strings.SplitN(after, "//", 2)[0]); err != nil ||
				strings.HasPrefix(u.Hostname(), "-") || u.User != nil && strings.HasPrefix(u.User.Username(), "-") {
				t.Fatalf("accepted %q", s)
			}
		} else if strings.HasPrefix(s, "-") || strings.Contains(s, "::") {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzProbePath(f *testing.F) {
	for _, s := range []string{"/health", "@evil/x", "//evil/x", "/a?b=c", "/%2f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ProbePath(s) != nil {
			return
		}
		u, err := url.Parse("http://127.0.0.1:8080" + s)
		if err != nil || u.Host != "127.0.0.1:8080" || u.User != nil || u.Fragment != "" || strings.ContainsFunc(s, unicode.IsControl) {
			t.Fatalf("accepted %q: %v %+v", s, err, u)
		}
	})
}

func FuzzIndexName(f *testing.F) {
	for _, s := range []string{"records", "*", "_all", "a,b", "<x-{now/d}>", ".kibana"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IndexName(s) != nil {
			return
		}
		if strings.ContainsAny(s, "*?,<>{}/\\ #:\"|") || strings.HasPrefix(s, "_") || strings.HasPrefix(s, ".") ||
			strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") || strings.ToLower(s) != s {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzBucketName(f *testing.F) {
	for _, s := range []string{"myapp-files", "a..b", "192.168.0.1", "xn--x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if BucketName(s) != nil {
			return
		}
		if len(s) < 3 || len(s) > 63 || strings.ContainsAny(s, "/_ *?\n") || strings.ToLower(s) != s {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzSecretName(f *testing.F) {
	for _, s := range []string{"APP_PASSWORD", "X\nY=1", "X=Y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if SecretName(s) == nil && strings.ContainsAny(s, "\n\r=# \x00") {
			t.Fatalf("accepted %q", s)
		}
	})
}
