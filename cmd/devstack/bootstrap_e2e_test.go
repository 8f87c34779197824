//go:build e2e

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"

	"github.com/devstack-dev/devstack/internal/archivetest"
)

type bootstrapJSON struct {
	OK    bool `json:"ok"`
	Steps []struct {
		Name    string `json:"name"`
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"steps"`
	Fixtures *fixturesJSON `json:"fixtures"`
}

type fixturesJSON struct {
	OK       bool `json:"ok"`
	Fixtures []struct {
		Name    string   `json:"name"`
		Applied []string `json:"applied"`
		Skipped []string `json:"skipped"`
		Changed []string `json:"changed"`
		Reset   bool     `json:"reset"`
		Error   string   `json:"error"`
		Fix     string   `json:"fix"`
	} `json:"fixtures"`
}

func (f *fixturesJSON) applied() map[string][]string {
	out := map[string][]string{}
	for _, fx := range f.Fixtures {
		out[fx.Name] = fx.Applied
	}
	return out
}

func (f *fixturesJSON) changed() map[string][]string {
	out := map[string][]string{}
	for _, fx := range f.Fixtures {
		out[fx.Name] = fx.Changed
	}
	return out
}

// copyDir copies the sample project so the test can change it.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// gitRepo makes a local git repository of dir, tagged v1.
func gitRepo(t *testing.T, dir string) {
	t.Helper()
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.email=e2e@devstack.dev", "-c", "user.name=e2e", "commit", "-qm", "fixtures"}, {"tag", "v1"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

// server serves files the test makes on 127.0.0.1.
type server struct {
	dir  string
	base string
}

func serve(t *testing.T) *server {
	t.Helper()
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return &server{dir: dir, base: "http://" + l.Addr().String()}
}

// archive packs files (name → content; "->target" makes a symlink) as a tar.gz on the
// server, and returns its URL and sha256.
func (s *server) archive(t *testing.T, name string, files map[string]string) (string, string) {
	t.Helper()
	path := filepath.Join(s.dir, name)
	if err := archivetest.WriteTarGz(path, files); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	sum := sha256.Sum256(data)
	return s.base + "/" + name, hex.EncodeToString(sum[:])
}

// The sample project under testdata/ is onboarded with fixtures from a local directory,
// a local git repository and an http archive with its checksum. OpenSearch is the
// offline stand-in here: the documents show devstack's loading, not OpenSearch's.
func TestBootstrapSampleProject(t *testing.T) {
	requireEngine(t)
	dir := t.TempDir()
	copyDir(t, filepath.Join("testdata", "bootstrap-project"), dir)
	gitRepo(t, filepath.Join(dir, "search"))
	srv := serve(t)
	defsJSON, _ := os.ReadFile(filepath.Join(dir, "queues", "definitions.json"))
	url, sum := srv.archive(t, "queues.tar.gz", map[string]string{"definitions.json": string(defsJSON)})

	sample, _ := os.ReadFile(filepath.Join(dir, "devstack.yaml"))
	extra := fmt.Sprintf("  - name: search\n    service: opensearch\n    source: git::file://%s?ref=v1\n"+
		"  - name: queues\n    service: rabbitmq\n    source: %s?checksum=sha256:%s\n", filepath.Join(dir, "search"), url, sum)
	p := newStackProject(t, allFive) // a name, a free offset and clean-up
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(p.base+string(sample)+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	if err := os.WriteFile(filepath.Join(dir, "app.env"), []byte("# the app's own\nSECRET_KEY=keep-me\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	first := bootstrapRun(t, p, 0)
	for _, s := range first.Steps {
		if s.Status != "ok" {
			t.Fatalf("step %s: %+v", s.Name, s)
		}
	}
	got := first.Fixtures.applied()
	if strings.Join(got["records"], ",") != "001_schema.sql,002_records.sql" || len(got["files"]) != 2 || len(got["search"]) != 3 || len(got["queues"]) != 1 {
		t.Fatalf("first run applied %v", got)
	}

	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if n := countRows(ctx, t, env); n != 2 {
		t.Fatalf("postgres rows: %d", n)
	}
	mc := minioClient(t, env)
	for _, key := range []string{"readme.txt", "img/logo.svg"} {
		if _, err := mc.StatObject(ctx, env["S3_BUCKET"], key, minio.StatObjectOptions{}); err != nil {
			t.Errorf("minio object %s: %v", key, err)
		}
	}
	if _, count := httpDo(t, http.MethodGet, env["OPENSEARCH_URL"]+"/records/_count", ""); !strings.Contains(strings.ReplaceAll(count, " ", ""), `"count":2`) {
		t.Errorf("opensearch stand-in records count: %s", count)
	}
	if code, _ := httpDo(t, http.MethodGet, strings.Replace(env["RABBITMQ_MANAGEMENT_URL"], "http://", "http://", 1)+"/api/queues/%2F/records.index", ""); code != 200 {
		t.Errorf("rabbitmq queue records.index: HTTP %d", code)
	}
	appEnv, _ := os.ReadFile(filepath.Join(dir, "app.env"))
	if !strings.HasPrefix(string(appEnv), "# the app's own\nSECRET_KEY=keep-me\n") || !strings.Contains(string(appEnv), "DATABASE_URL=postgresql://devstack:") {
		t.Fatalf("app.env:\n%s", appEnv)
	}

	// Again: nothing is applied twice.
	second := bootstrapRun(t, p, 0)
	for name, files := range second.Fixtures.applied() {
		if len(files) != 0 {
			t.Errorf("second run applied %s again: %v", name, files)
		}
	}

	// One SQL file changed: it is reported, not run again on top of its old rows.
	if err := os.WriteFile(filepath.Join(dir, "fixtures", "sql", "002_records.sql"), []byte("INSERT INTO record VALUES (3, 'A third record');\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := bootstrapRun(t, p, 0)
	if got := third.Fixtures.changed(); strings.Join(got["records"], ",") != "002_records.sql" || len(third.Fixtures.applied()["records"]) != 0 {
		t.Fatalf("after changing 002: changed %v, applied %v", got, third.Fixtures.applied())
	}
	if n := countRows(ctx, t, env); n != 2 {
		t.Fatalf("postgres rows after the change: %d", n)
	}

	// --force loads a fixture's files again, whatever was recorded.
	r := p.run("fixtures", "files", "--force", "-o", "json")
	var forced fixturesJSON
	if err := json.Unmarshal([]byte(r.stdout), &forced); err != nil || r.code != 0 || len(forced.applied()["files"]) != 2 {
		t.Fatalf("fixtures files --force: %d %v %s", r.code, err, r.stdout)
	}
}

func bootstrapRun(t *testing.T, p *stackProject, wantCode int) bootstrapJSON {
	t.Helper()
	r := p.run("bootstrap", "-o", "json")
	var b bootstrapJSON
	if err := json.Unmarshal([]byte(r.stdout), &b); err != nil {
		t.Fatalf("bootstrap: exit %d, not JSON (%v):\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != wantCode || b.Fixtures == nil {
		t.Fatalf("bootstrap: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return b
}

func countRows(ctx context.Context, t *testing.T, env map[string]string) int {
	t.Helper()
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM record").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Bad fixtures each fail clearly, exit 1, and leave nothing half-loaded.
func TestFixturesBadInput(t *testing.T) {
	p := newStackProject(t, "services:\n  postgres:\n  minio:\n")
	srv := serve(t)
	good, goodSum := srv.archive(t, "good.tar.gz", map[string]string{"ok.txt": "fine"})
	escape, escapeSum := srv.archive(t, "escape.tar.gz", map[string]string{"ok.txt": "fine", "../../escape.txt": "out"})
	link, linkSum := srv.archive(t, "link.tar.gz", map[string]string{"ok.txt": "fine", "passwd": "->/etc/passwd"})
	sqlDir := filepath.Join(p.dir, "badsql")
	os.MkdirAll(sqlDir, 0o755)
	os.WriteFile(filepath.Join(sqlDir, "001_bad.sql"), []byte("CREATE TABLE half (x int);\nINSERT INTO half VALUES (1);\nINSERT INTO missing_table VALUES (2);\n"), 0o644)
	wrong := strings.Repeat("0", 64)
	p.write(fmt.Sprintf(`services:
  postgres:
  minio:
fixtures:
  - {name: mismatch, service: minio, source: "%s?checksum=sha256:%s"}
  - {name: escape, service: minio, source: "%s?checksum=sha256:%s"}
  - {name: link, service: minio, source: "%s?checksum=sha256:%s"}
  - {name: badsql, service: postgres, source: ./badsql}
  - {name: unreachable, service: minio, source: "http://127.0.0.1:1/nothing.tar.gz"}
`, good, wrong, escape, escapeSum, link, linkSum))
	p.up()
	_ = goodSum
	tests := []struct {
		name string
		want []string
	}{
		{"mismatch", []string{wrong, goodSum}},
		{"escape", []string{`"../../escape.txt" would be written outside`}},
		{"link", []string{`"passwd" is a link to "/etc/passwd"`}},
		{"badsql", []string{"001_bad.sql:3:", `relation "missing_table" does not exist`, "rolled back"}},
		{"unreachable", []string{"fetch http://127.0.0.1:1/nothing.tar.gz", "connection refused"}},
	}
	for _, tt := range tests {
		r := p.run("fixtures", tt.name, "-o", "json")
		var f fixturesJSON
		if err := json.Unmarshal([]byte(r.stdout), &f); err != nil || r.code != 1 || f.OK || len(f.Fixtures) != 1 {
			t.Errorf("%s: exit %d %v %s %s", tt.name, r.code, err, r.stdout, r.stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(f.Fixtures[0].Error, w) {
				t.Errorf("%s: error %q lacks %q", tt.name, f.Fixtures[0].Error, w)
			}
		}
	}
	// Nothing half-loaded: no object in the bucket, no table from the failed file, and
	// nothing recorded as applied.
	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for obj := range minioClient(t, env).ListObjects(ctx, env["S3_BUCKET"], minio.ListObjectsOptions{Recursive: true}) {
		t.Errorf("object left behind: %s %v", obj.Key, obj.Err)
	}
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('half') IS NOT NULL").Scan(&exists); err != nil || exists {
		t.Errorf("table half exists after a rolled-back file: %v %v", exists, err)
	}
	if data, err := os.ReadFile(filepath.Join(p.dir, ".devstack", "state.json")); err == nil && strings.Contains(string(data), "001_bad.sql") {
		t.Errorf("a failed file was recorded as applied: %s", data)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(p.dir), "escape.txt")); err == nil {
		t.Error("an archive entry escaped its destination")
	}
}
