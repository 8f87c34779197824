//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// Fixture records follow the data they describe (issue 12): wiping a volume means the
// fixtures are loaded again, only that service's; a changed file is reported and loads
// nothing twice; --reset leaves exactly the fixtures' rows.
func TestFixtureStateFollowsTheData(t *testing.T) {
	p := newStackProject(t, "services:\n  postgres:\n  minio:\n")
	copyDir(t, filepath.Join("testdata", "bootstrap-project", "fixtures"), filepath.Join(p.dir, "fixtures"))
	p.base += "tools: {python: {required: false}, pipenv: {required: false}, node: {required: false}, npm: {required: false}, " +
		"docker: {required: false}, compose: {required: false}, imagemagick: {required: false}, git: {required: false}}\nfixtures:\n" +
		"  - {name: records, service: postgres, source: ./fixtures/sql}\n" +
		"  - {name: files, service: minio, source: ./fixtures/objects}\n"
	p.write("services:\n  postgres:\n  minio:\n")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	first := bootstrapRun(t, p, 0)
	if got := first.Fixtures.applied(); len(got["records"]) != 2 || len(got["files"]) != 2 {
		t.Fatalf("first bootstrap applied %v", got)
	}

	// Everything wiped: the records went with the volumes, so all is loaded again.
	if r := p.run("down", "--volumes"); r.code != 0 {
		t.Fatalf("down --volumes: %d %s", r.code, r.stderr)
	}
	again := bootstrapRun(t, p, 0)
	if got := again.Fixtures.applied(); len(got["records"]) != 2 || len(got["files"]) != 2 {
		t.Fatalf("after down --volumes, bootstrap applied %v", got)
	}
	if n := countRows(ctx, t, p.env()); n != 2 {
		t.Fatalf("rows after down --volumes and bootstrap: %d", n)
	}

	// One service's data wiped: only its fixtures are loaded again.
	if r := p.run("down", "--volumes", "postgres"); r.code != 0 {
		t.Fatalf("down --volumes postgres: %d %s", r.code, r.stderr)
	}
	one := bootstrapRun(t, p, 0)
	if got := one.Fixtures.applied(); len(got["records"]) != 2 || len(got["files"]) != 0 {
		t.Fatalf("after down --volumes postgres, bootstrap applied %v", got)
	}
	env := p.env()
	if n := countRows(ctx, t, env); n != 2 {
		t.Fatalf("rows after wiping postgres: %d", n)
	}
	if _, err := minioClient(t, env).StatObject(ctx, env["S3_BUCKET"], "readme.txt", minio.StatObjectOptions{}); err != nil {
		t.Fatalf("minio's object, kept: %v", err)
	}

	// A volume wiped behind devstack's back (re-created under the same name) counts too.
	if r := p.run("down", "postgres"); r.code != 0 {
		t.Fatalf("down postgres: %d %s", r.code, r.stderr)
	}
	eng, err := engine.Connect(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if err := eng.RemoveVolume(ctx, plan.VolumeName(p.id(), "postgres")); err != nil {
		t.Fatal(err)
	}
	behind := bootstrapRun(t, p, 0)
	if got := behind.Fixtures.applied(); len(got["records"]) != 2 {
		t.Fatalf("after the volume was removed by hand, bootstrap applied %v", got)
	}

	// A changed file: named, nothing loaded twice, the rows as they were.
	sql := filepath.Join(p.dir, "fixtures", "sql", "002_records.sql")
	if err := os.WriteFile(sql, []byte("INSERT INTO record (id, title) VALUES (3, 'A third record');\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := bootstrapRun(t, p, 0)
	if got := changed.Fixtures.changed()["records"]; strings.Join(got, ",") != "002_records.sql" {
		t.Fatalf("changed files reported: %v", got)
	}
	for name, files := range changed.Fixtures.applied() {
		if len(files) != 0 {
			t.Fatalf("a changed file's bootstrap loaded %s: %v", name, files)
		}
	}
	for _, s := range changed.Steps {
		if s.Name == "fixtures" && !strings.Contains(s.Message, "1 changed") {
			t.Fatalf("fixtures step: %q; want it to count the changed file", s.Message)
		}
	}
	if n := countRows(ctx, t, env); n != 2 {
		t.Fatalf("rows after a changed file: %d", n)
	}

	// --reset: the database emptied, every file loaded: exactly the fixtures' rows.
	r := p.run("fixtures", "--reset", "records", "-o", "json")
	var reset fixturesJSON
	if err := json.Unmarshal([]byte(r.stdout), &reset); err != nil || r.code != 0 {
		t.Fatalf("fixtures --reset records: %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if got := reset.applied(); len(got["records"]) != 2 || len(reset.Fixtures) != 1 || !reset.Fixtures[0].Reset {
		t.Fatalf("--reset applied %v (%+v)", got, reset.Fixtures)
	}
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ids string
	if err := conn.QueryRow(ctx, "SELECT string_agg(id::text, ',' ORDER BY id) FROM record").Scan(&ids); err != nil || ids != "3" {
		t.Fatalf("ids after --reset: %q %v; want only the edited file's row", ids, err)
	}

	// --reset of MinIO's fixture: its bucket emptied in place (an object put there by
	// hand goes too), then every file uploaded again.
	mc := minioClient(t, env)
	if _, err := mc.PutObject(ctx, env["S3_BUCKET"], "stray.txt", strings.NewReader("not a fixture"), -1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	r = p.run("fixtures", "--reset", "files", "-o", "json")
	var resetFiles fixturesJSON
	if err := json.Unmarshal([]byte(r.stdout), &resetFiles); err != nil || r.code != 0 {
		t.Fatalf("fixtures --reset files: %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if got := resetFiles.applied(); len(got["files"]) != 2 || !resetFiles.Fixtures[0].Reset {
		t.Fatalf("--reset files applied %v (%+v)", got, resetFiles.Fixtures)
	}
	if _, err := mc.StatObject(ctx, env["S3_BUCKET"], "stray.txt", minio.StatObjectOptions{}); minio.ToErrorResponse(err).Code != "NoSuchKey" {
		t.Fatalf("the stray object after --reset files: %v; want it gone", err)
	}
	if _, err := mc.StatObject(ctx, env["S3_BUCKET"], "readme.txt", minio.StatObjectOptions{}); err != nil {
		t.Fatalf("the fixture's object after --reset files: %v", err)
	}
}
