package grammar

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// check runs one rule over strings that must pass and strings that must not; every
// refusal must be a *Violation with a rule and a fix, and never quote the input.
func check(t *testing.T, rule func(string) error, ok, bad []string) {
	t.Helper()
	for _, s := range ok {
		if err := rule(s); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
	for _, s := range bad {
		err := rule(s)
		var v *Violation
		switch {
		case err == nil:
			t.Errorf("%q accepted", s)
		case !errors.As(err, &v) || v.Rule == "" || v.Fix == "":
			t.Errorf("%q: %v is not a Violation with a rule and a fix", s, err)
		case len(s) > 3 && strings.Contains(v.Rule, s):
			t.Errorf("%q: the rule quotes the input: %s", s, v.Rule)
		}
	}
}

func TestMountPath(t *testing.T) {
	check(t, MountPath,
		[]string{"/data", "/var/lib/postgresql/data", "/srv/app_1/files-2.0", "/a"},
		[]string{"", "data", "./data", "/", "//", "/data/", "/data/../etc", "/data/./x", "/a//b", "/..",
			"/data:/host", "/data,bind-propagation=shared", "/data,src=/home/u", "/data:rw,z", "/da ta",
			"/data\n/x", "/data=1", "/dätä", "/data$HOME", "/data~", "/" + strings.Repeat("a", 255)})
}

func TestImageRef(t *testing.T) {
	check(t, ImageRef,
		[]string{"postgres:16", "redis", "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "localhost:5000/app:dev",
			"ghcr.io/org/app@sha256:" + strings.Repeat("ab", 32), "docker.io/library/redis:7.4-alpine"},
		[]string{"", "-v", "--privileged", "Redis:7", "redis:7 --privileged", "redis::7", "redis:7\n", "redis:@",
			"redis@sha256:zz", "../redis", "redis:" + strings.Repeat("7", 200), "a b"})
}

func TestEnvKey(t *testing.T) {
	check(t, EnvKey,
		[]string{"POSTGRES_DB", "discovery.type", "_X", "cluster.routing.allocation.disk-threshold_enabled", "a1"},
		[]string{"", "1X", "-X", ".x", "A=B", "A B", "A\nB", "A:B", "A$B", "Ä", strings.Repeat("A", 256)})
}

func TestSecretName(t *testing.T) {
	check(t, SecretName,
		[]string{"APP_PASSWORD", "X", "GF_SECURITY_ADMIN_PASSWORD", "A1_2"},
		[]string{"", "app", "_X", "1X", "X\nEVIL=1", "X=Y", "X#", "X Y", "X-Y", "X.Y", "X}", strings.Repeat("A", 65)})
}

func TestProbePath(t *testing.T) {
	check(t, ProbePath,
		[]string{"", "/", "/health", "/api/v1/status?full=1&x=y", "/minio/health/cluster", "/a%20b", "/x:y", "/~user/$x",
			"/-/ready", "/_cluster/health", "/query?q=SHOW%20DATABASES", "/misc/ping", "/readyz"}, // this line: the built-ins' own paths
		[]string{"health", "@other-host/x", "//other-host/x", "/x//y", "/a@b", "http://other/x", "/x#frag",
			"/a\\b", "/a b", "/a\nHost: x", "/a\r\n", "/%zz", "/%4", "/ä", "/" + strings.Repeat("a", 2048)})
}

func TestGitRef(t *testing.T) {
	check(t, GitRef,
		[]string{"main", "v1.2.0", "release/2026.1", "feature/a-b_c", strings.Repeat("a1", 20), "HEAD"},
		[]string{"", "-x", "--pathspec-from-file=/home/u/.ssh/id_ed25519", "--upload-pack=touch /tmp/x", "@",
			"/main", "main/", "a//b", "a..b", "a.", "a@{1}", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[", "a\\b",
			".hidden", "a/.b", "x.lock", "a/b.lock/c", "a\nb", "ä", strings.Repeat("a", 256)})
}

func TestGitSubdir(t *testing.T) {
	check(t, GitSubdir,
		[]string{"fixtures", "data/sql", "a-b/c_d.e"},
		[]string{"", "/abs", "..", "../x", "a/../../x", "a/./b", ".", "a/", "-x", "a*", "a?", "a[1]", "a{b}", "a\\b",
			"a:b", "a b", "a\nb"})
}

func TestGitRemote(t *testing.T) {
	check(t, GitRemote,
		[]string{"https://github.com/org/repo.git", "https://github.com/org/repo.git//fixtures?ref=v1.0",
			"ssh://git@host.example:2222/org/repo.git?ref=main&depth=1", "git@github.com:org/repo.git",
			"git@github.com:org/repo.git//data?ref=v2", "http://[::1]:8080/repo.git", "git://host/repo"},
		[]string{"https://github.com/org/repo.git?ref=--pathspec-from-file=/etc/passwd",
			"https://github.com/org/repo.git?ref=-x", "https://h/r.git?sshkey=AAAA", "https://h/r.git?ref=a&ref=b",
			"https://h/r.git?depth=0", "https://h/r.git?depth=x", "https://h/r.git?foo=1", "https://h/r.git#frag",
			"ssh://-oProxyCommand=touch%20x/r.git", "ssh://-oProxyCommand=x@host/r.git", "ssh://host:99999/r",
			"ext::sh -c touch% /tmp/pwned", "fd::17", "file:///etc", "ftp://h/r", "https://h", "https://h/",
			"https://h/r.git//../x", "https://h/r.git///abs", "-oProxyCommand=x@h:r", "u@-h:r", "u@h:-r", "u@h:",
			"h:r", "https://h/r\n.git", "https://h/r .git", "https://h_x/r", "https://.h/r", "u@h:r//../x",
			"0@0::", "u@h::r", "u@h:o/r::x"})
}

func TestGitQuery(t *testing.T) {
	check(t, GitQuery, []string{"", "ref=v1", "ref=main&depth=1"},
		[]string{"ref=", "ref=-x", "depth=-1", "sshkey=x", "ref=a;b", "%zz", "ref=a&ref=b"})
}

func TestIndexName(t *testing.T) {
	check(t, IndexName,
		[]string{"records", "myapp-records-v1.0.0", "rdmrecords-records-record-v6.0.0", "2026.logs", "a_b"},
		[]string{"", "*", "rec*", "a,b", "_all", "_data", "-x", "+x", ".kibana", ".", "..", "a..b", "<logs-{now/d}>",
			"Records", "a b", "a/b", "a?b", "a|b", "a#b", "a:b", "a\"b", "a\\b", "a\nb", strings.Repeat("a", 256)})
}

func TestBucketName(t *testing.T) {
	check(t, BucketName,
		[]string{"myapp-files", "abc", "my.bucket.name", "123", strings.Repeat("a", 63)},
		[]string{"", "ab", strings.Repeat("a", 64), "My-Bucket", "my_bucket", "-abc", "abc-", ".abc", "abc.", "a..b",
			"a.-b", "a-.b", "192.168.1.1", "xn--abc", "sthree-x", "amzn-s3-demo-x", "abc-s3alias", "abc--ol-s3",
			"abc.mrap", "abc--x-s3", "abc--table-s3", "a/b", "a b", "*", "a\nb"})
}

func TestVHost(t *testing.T) {
	check(t, VHost, []string{"/", "myapp", "my-app.v1", "App_1"},
		[]string{"", "//", "/x", "a/b", "a%2f", "a?b", "a#b", "a@b", "-x", ".x", "a b", "a\nb", strings.Repeat("a", 256)})
}

func TestQueueName(t *testing.T) {
	check(t, QueueName, []string{"celery", "myapp.tasks", "q:1", "A-b_c"},
		[]string{"", "amq.direct", "AMQ.x", "amq.rabbitmq.trace", "-q", ".q", "q q", "q*", "q#", "q\nx", strings.Repeat("q", 256)})
}

func TestDatabaseNames(t *testing.T) {
	bad := []string{"", "1db", "_db", "-db", "db-x;DROP", "db name", "db\nx", "db`x", "db'x", "db\"x", "db/x", "db.x", "db*", "dä"}
	check(t, PostgresName, []string{"myapp", "my_app_2"}, append(bad, "MyApp", strings.Repeat("a", 64)))
	check(t, MariaDBName, []string{"myapp", "MyApp_2"}, append(bad, strings.Repeat("a", 65)))
	check(t, InfluxDBName, []string{"myapp", "metrics_1"}, append(bad, "_internal", strings.Repeat("a", 65)))
	check(t, MongoDatabase, []string{"myapp", "my-app_2"}, append(bad, "admin", "local", "config", "Admin", strings.Repeat("a", 64)))
	check(t, MongoCollection, []string{"records", "_x", "a.b-c"}, []string{"", "system.users", "1x", "$x", "a b", "a$b", "a\nb"})
	check(t, UserName, []string{"devstack", "App_1"}, append(bad, strings.Repeat("a", 33)))
}

// lines reads a corpus: one entry a line, # comments and blank lines skipped.
func lines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The class, not the examples: every behaviour-changing variable in the corpus is
// refused, and every framework setting in the other is accepted.
func TestSettingKeyClass(t *testing.T) {
	refused, accepted := lines(t, "refused-settings.txt"), lines(t, "accepted-settings.txt")
	if len(refused) < 80 {
		t.Fatalf("the refused corpus has %d entries; it is meant to show a class (>= 80)", len(refused))
	}
	check(t, SettingKey, accepted, append(refused, "", "APP_URL\n", "APP_URL\x00", strings.Repeat("A_", 64)+"URL"))
}

// The owned namespaces are refused whatever suffix follows them: a tool's future
// variables are covered, not only the ones in the corpus.
func TestSettingKeyNamespacesWhole(t *testing.T) {
	for _, ns := range ownedNamespaces {
		for _, suffix := range settingSuffixes {
			if err := SettingKey(ns + "_" + suffix); err == nil {
				t.Errorf("%s_%s accepted", ns, suffix)
			}
		}
	}
}

// TestSnapshotName covers the class: every byte outside the allowlist, in every position.
func TestSnapshotName(t *testing.T) {
	var bad []string
	for b := 0; b < 256; b++ {
		c := string(rune(b))
		if b >= 0x80 {
			c = string([]byte{byte(b)})
		}
		if strings.Contains("abcdefghijklmnopqrstuvwxyz0123456789._-", c) {
			continue
		}
		bad = append(bad, c+"snap", "sn"+c+"ap", "snap"+c)
	}
	check(t, SnapshotName,
		[]string{"a", "0", "before-migration", "v1.2", "nightly_2026-12-06", strings.Repeat("a", 64)},
		append(bad, "", "-rf", ".hidden", "_x", "a..b", "..", "../etc", "a/b", `a\b`, "A", "Snap",
			strings.Repeat("a", 65), "snap\n", "snap.capsule/../../x"))
}
