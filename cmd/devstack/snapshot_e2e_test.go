//go:build e2e

package main

// End-to-end tests of devstack snapshot on the real engine: a round trip through every
// stateful built-in, checked with each server's own client, and the faults (Ctrl-C and
// SIGKILL in the middle of a save).

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/smtp"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/minio/minio-go/v7"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/plan"
)

// snapProject is a stack project with its own snapshot directory (XDG_DATA_HOME).
type snapProject struct {
	*stackProject
	data string
}

func newSnapProject(t *testing.T, services string) *snapProject {
	t.Helper()
	sp := &snapProject{data: t.TempDir()}
	sp.stackProject = newStackProject(t, services)
	return sp
}

func (p *snapProject) snap(args ...string) result {
	p.t.Helper()
	return invocation{dir: p.dir, extraEnv: []string{"XDG_DATA_HOME=" + p.data}}.run(p.t, args...)
}

func (p *snapProject) mustSnap(args ...string) result {
	p.t.Helper()
	r := p.snap(args...)
	if r.code != 0 {
		p.t.Fatalf("devstack %s: exit %d\n%s\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// store is the checkout's snapshot directory.
func (p *snapProject) store() string {
	return filepath.Join(p.data, "devstack", "snapshots", p.id())
}

// execIn runs a shell command in the service's own container (its own client, with the
// credentials the container was given) and returns its output.
func (p *snapProject) execIn(ctx context.Context, service, script string) string {
	p.t.Helper()
	c := connect(p.t)
	code, out, err := c.Exec(ctx, plan.ContainerName(p.id(), service), []string{"sh", "-c", script})
	if err != nil || code != 0 {
		p.t.Fatalf("%s: %s: exit %d %v\n%s", service, script, code, err, out)
	}
	return strings.TrimSpace(string(out))
}

// dataCheck writes a marker into one service, and reads back the markers it holds,
// through the server's own client.
type dataCheck struct {
	service string
	write   func(ctx context.Context, p *snapProject, env map[string]string, marker string)
	read    func(ctx context.Context, p *snapProject, env map[string]string) []string
}

var dataChecks = []dataCheck{
	{"postgres",
		func(ctx context.Context, p *snapProject, _ map[string]string, m string) {
			p.execIn(ctx, "postgres", `psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE TABLE IF NOT EXISTS marks (m text); INSERT INTO marks VALUES ('`+m+`')"`)
		},
		func(ctx context.Context, p *snapProject, _ map[string]string) []string {
			return strings.Fields(p.execIn(ctx, "postgres", `psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "SELECT m FROM marks ORDER BY m"`))
		}},
	{"redis",
		func(ctx context.Context, p *snapProject, _ map[string]string, m string) {
			p.execIn(ctx, "redis", `redis-cli --no-auth-warning -a "$REDIS_PASSWORD" SADD marks `+m)
		},
		func(ctx context.Context, p *snapProject, _ map[string]string) []string {
			return strings.Fields(p.execIn(ctx, "redis", `redis-cli --no-auth-warning -a "$REDIS_PASSWORD" SORT marks ALPHA`))
		}},
	{"mariadb",
		func(ctx context.Context, p *snapProject, _ map[string]string, m string) {
			p.execIn(ctx, "mariadb", `mariadb -u"$MARIADB_USER" -p"$MARIADB_PASSWORD" "$MARIADB_DATABASE" -e "CREATE TABLE IF NOT EXISTS marks (m varchar(20)); INSERT INTO marks VALUES ('`+m+`')"`)
		},
		func(ctx context.Context, p *snapProject, _ map[string]string) []string {
			return strings.Fields(p.execIn(ctx, "mariadb", `mariadb -N -u"$MARIADB_USER" -p"$MARIADB_PASSWORD" "$MARIADB_DATABASE" -e "SELECT m FROM marks ORDER BY m"`))
		}},
	{"rabbitmq",
		func(ctx context.Context, p *snapProject, _ map[string]string, m string) {
			p.execIn(ctx, "rabbitmq", "rabbitmqctl -q add_vhost "+m)
		},
		func(ctx context.Context, p *snapProject, _ map[string]string) []string {
			var out []string
			for _, v := range strings.Fields(p.execIn(ctx, "rabbitmq", "rabbitmqctl -q list_vhosts name")) {
				if strings.HasPrefix(v, "mark") {
					out = append(out, v)
				}
			}
			return out
		}},
	// The influx CLI is not in every influxdb image: InfluxDB's own HTTP API, from the host.
	{"influxdb",
		func(ctx context.Context, p *snapProject, env map[string]string, m string) {
			influxQuery(p.t, env, "CREATE DATABASE "+m)
		},
		func(ctx context.Context, p *snapProject, env map[string]string) []string {
			var out []string
			body := influxQuery(p.t, env, "SHOW DATABASES")
			for _, m := range []string{"marka", "markb"} {
				if strings.Contains(body, `"`+m+`"`) {
					out = append(out, m)
				}
			}
			return out
		}},
	// Mailpit: mail in through SMTP, read through its API, from the host.
	{"mailpit",
		func(ctx context.Context, p *snapProject, env map[string]string, m string) {
			addr := env["SMTP_HOST"] + ":" + env["SMTP_PORT"]
			msg := "From: a@example.com\r\nTo: b@example.com\r\nSubject: " + m + "\r\n\r\nbody\r\n"
			if err := smtp.SendMail(addr, nil, "a@example.com", []string{"b@example.com"}, []byte(msg)); err != nil {
				p.t.Fatalf("mailpit: send: %v", err)
			}
		},
		func(ctx context.Context, p *snapProject, env map[string]string) []string {
			code, body := httpDo(p.t, http.MethodGet, env["MAILPIT_URL"]+"/api/v1/messages", "")
			var out []string
			for _, m := range []string{"marka", "markb"} {
				if code == 200 && strings.Contains(body, `"Subject":"`+m+`"`) {
					out = append(out, m)
				}
			}
			return out
		}},
	{"minio",
		func(ctx context.Context, p *snapProject, env map[string]string, m string) {
			mc := minioClient(p.t, env)
			if _, err := mc.PutObject(ctx, env["S3_BUCKET"], m, bytes.NewReader([]byte(m)), int64(len(m)), minio.PutObjectOptions{}); err != nil {
				p.t.Fatalf("minio put: %v", err)
			}
		},
		func(ctx context.Context, p *snapProject, env map[string]string) []string {
			var out []string
			for o := range minioClient(p.t, env).ListObjects(ctx, env["S3_BUCKET"], minio.ListObjectsOptions{}) {
				if o.Err != nil {
					p.t.Fatalf("minio list: %v", o.Err)
				}
				out = append(out, o.Key)
			}
			return out
		}},
	// The MongoDB here is the stand-in image (FerretDB over SQLite, not MongoDB), read with
	// the official Mongo driver.
	{"mongodb",
		func(ctx context.Context, p *snapProject, env map[string]string, m string) {
			c := mongoClient(p.t, env)
			defer c.Disconnect(ctx)
			if _, err := c.Database(env["MONGODB_DATABASE"]).Collection("marks").InsertOne(ctx, bson.M{"m": m}); err != nil {
				p.t.Fatalf("mongodb insert: %v", err)
			}
		},
		func(ctx context.Context, p *snapProject, env map[string]string) []string {
			c := mongoClient(p.t, env)
			defer c.Disconnect(ctx)
			cur, err := c.Database(env["MONGODB_DATABASE"]).Collection("marks").Find(ctx, bson.M{}, options.Find().SetSort(bson.M{"m": 1}))
			if err != nil {
				p.t.Fatalf("mongodb find: %v", err)
			}
			var docs []bson.M
			if err := cur.All(ctx, &docs); err != nil {
				p.t.Fatal(err)
			}
			var out []string
			for _, d := range docs {
				out = append(out, fmt.Sprint(d["m"]))
			}
			return out
		}},
}

func influxQuery(t *testing.T, env map[string]string, q string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, env["INFLUXDB_URL"]+"/query", strings.NewReader(url.Values{"q": {q}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(env["INFLUX_USERNAME"], env["INFLUX_PASSWORD"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("influxdb: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("influxdb %q: HTTP %d %s", q, resp.StatusCode, body)
	}
	return string(body)
}

func mongoClient(t *testing.T, env map[string]string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(env["MONGODB_URL"]))
	if err != nil {
		t.Fatalf("mongodb: %v", err)
	}
	return c
}

// promFirstSample is the time of the earliest sample of up that Prometheus holds.
func promFirstSample(t *testing.T, env map[string]string, at time.Time) (float64, bool) {
	t.Helper()
	q := url.Values{"query": {"timestamp(up)"}, "time": {fmt.Sprintf("%d", at.Unix())}}
	code, body := httpDo(t, http.MethodGet, env["PROMETHEUS_URL"]+"/api/v1/query?"+q.Encode(), "")
	if code != 200 {
		t.Fatalf("prometheus: HTTP %d %s", code, body)
	}
	var r struct {
		Data struct {
			Result []struct {
				Value []any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("prometheus: %v %s", err, body)
	}
	if len(r.Data.Result) == 0 {
		return 0, false
	}
	var ts float64
	fmt.Sscan(fmt.Sprint(r.Data.Result[0].Value[1]), &ts)
	return ts, true
}

const snapshotServices = "services:\n  postgres:\n  redis:\n  mariadb:\n  rabbitmq:\n  influxdb:\n  mailpit:\n  minio:\n  mongodb:\n  prometheus:\n"

// save → change → restore brings every server's data back, read through its own client;
// list shows the snapshot; rm removes it.
func TestSnapshotRoundTripEveryServer(t *testing.T) {
	p := newSnapProject(t, snapshotServices)
	p.up()
	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, c := range dataChecks {
		c.write(ctx, p, env, "marka")
	}
	// Prometheus keeps what it scraped: the snapshot must hold a sample from before it.
	var promAt time.Time
	for deadline := time.Now().Add(40 * time.Second); ; time.Sleep(time.Second) {
		if _, ok := promFirstSample(t, env, time.Now()); ok {
			promAt = time.Now()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("prometheus scraped nothing in 40s")
		}
	}
	p.mustSnap("snapshot", "save", "one")

	r := p.mustSnap("snapshot", "list", "-o", "json")
	var list struct {
		Snapshots []struct {
			Name     string `json:"name"`
			Size     int64  `json:"size"`
			Error    string `json:"error"`
			Services []struct {
				Name  string `json:"name"`
				Image string `json:"image"`
			} `json:"services"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Snapshots) != 1 || list.Snapshots[0].Name != "one" ||
		list.Snapshots[0].Error != "" || len(list.Snapshots[0].Services) != 9 || list.Snapshots[0].Size == 0 {
		t.Fatalf("list: %v %s", err, r.stdout)
	}

	// Change every service's data: one more marker, and Prometheus's data reset.
	for _, c := range dataChecks {
		c.write(ctx, p, env, "markb")
	}
	if r := p.run("down", "--volumes", "prometheus"); r.code != 0 {
		t.Fatalf("down prometheus: %s", r.stderr)
	}
	p.up()
	if _, ok := promFirstSample(t, env, promAt); ok {
		t.Fatal("prometheus still holds the old samples after its data was reset")
	}

	r = p.mustSnap("snapshot", "restore", "one", "-o", "json")
	if !strings.Contains(r.stdout, `"data": "new"`) {
		t.Fatalf("restore does not say the stack has the snapshot's data: %s", r.stdout)
	}
	for _, c := range dataChecks {
		if got := c.read(ctx, p, env); strings.Join(got, ",") != "marka" {
			t.Errorf("%s after restore holds %v, want [marka]", c.service, got)
		}
	}
	if _, ok := promFirstSample(t, env, promAt); !ok {
		t.Error("prometheus after restore: the samples from before the snapshot are not back")
	}
	if r := p.run("status", "-o", "json"); r.code != 0 {
		t.Fatalf("status after restore: %d %s", r.code, r.stdout)
	}
	// The next up keeps running on the restored data, with the project's credentials.
	p.up()
	if got := dataChecks[0].read(ctx, p, env); strings.Join(got, ",") != "marka" {
		t.Errorf("postgres after a later up: %v", got)
	}

	p.mustSnap("snapshot", "rm", "one")
	if r := p.snap("snapshot", "restore", "one"); r.code == 0 || !strings.Contains(r.stderr, "no snapshot named one") {
		t.Fatalf("restore of a removed snapshot: %d %s", r.code, r.stderr)
	}
	if r := p.snap("snapshot", "save", "../x"); r.code != 2 {
		t.Fatalf("save ../x: exit %d, want 2: %s", r.code, r.stderr)
	}
}

// fill puts about 60 MB of data that compresses poorly into PostgreSQL, so that a save
// takes long enough to be interrupted in the middle of its copy.
func (p *snapProject) fill(ctx context.Context) {
	p.execIn(ctx, "postgres", `psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE TABLE big AS SELECT md5(random()::text) || md5(random()::text) AS v FROM generate_series(1, 600000)"`)
}

// startSave starts a save and returns once its partial file has data in it: the copy
// is under way.
func (p *snapProject) startSave(name string) *exec.Cmd {
	p.t.Helper()
	cmd := exec.Command(binary, "snapshot", "save", name)
	cmd.Dir, cmd.Env = p.dir, append(os.Environ(), "XDG_DATA_HOME="+p.data)
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		matches, _ := filepath.Glob(filepath.Join(p.store(), "."+name+".partial-*"))
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && st.Size() > 0 {
				return cmd
			}
		}
	}
	_ = cmd.Process.Kill()
	p.t.Fatal("the save never began to write")
	return nil
}

// afterFault checks what every interrupted save must leave: the stack ready, no partial
// file, and the earlier snapshot still restoring the data it held.
func (p *snapProject) afterFault(ctx context.Context, name string) {
	p.t.Helper()
	if matches, _ := filepath.Glob(filepath.Join(p.store(), "*partial*")); len(matches) > 0 {
		p.t.Errorf("partial files left: %v", matches)
	}
	if _, err := os.Stat(filepath.Join(p.store(), name+".capsule")); err == nil {
		p.t.Errorf("the interrupted snapshot %s was kept", name)
	}
	if _, err := os.Stat(filepath.Join(p.dir, ".devstack", "snapshot-journal.json")); err == nil {
		p.t.Error("the journal is still there")
	}
	if got := dataChecks[0].read(ctx, p, nil); strings.Join(got, ",") != "marka,markb" {
		p.t.Errorf("postgres after the fault holds %v, want the live data [marka markb]", got)
	}
	p.mustSnap("snapshot", "restore", "before")
	if got := dataChecks[0].read(ctx, p, nil); strings.Join(got, ",") != "marka" {
		p.t.Errorf("postgres after restoring the earlier snapshot: %v, want [marka]", got)
	}
}

// SIGKILL in the middle of a save's copy: the services stay stopped until the next
// command, which finds the journal, starts them and removes the partial file.
func TestSnapshotSaveKilledMidCopy(t *testing.T) {
	p := newSnapProject(t, "services:\n  postgres:\n  redis:\n")
	p.up()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dataChecks[0].write(ctx, p, nil, "marka")
	p.mustSnap("snapshot", "save", "before")
	p.fill(ctx)
	dataChecks[0].write(ctx, p, nil, "markb")

	cmd := p.startSave("killed")
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if _, err := os.Stat(filepath.Join(p.dir, ".devstack", "snapshot-journal.json")); err != nil {
		t.Fatalf("no journal after the kill: %v", err)
	}
	// status is the next command: it converges, then reports the stack ready.
	r := invocation{dir: p.dir, extraEnv: []string{"XDG_DATA_HOME=" + p.data}}.run(t, "status", "-o", "json")
	if r.code != 0 || !strings.Contains(r.stderr, "interrupted snapshot save") {
		t.Fatalf("status after the kill: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	p.afterFault(ctx, "killed")
}

// Ctrl-C in the middle of a save's copy: exit 130, the stack running as before.
func TestSnapshotSaveInterrupted(t *testing.T) {
	p := newSnapProject(t, "services:\n  postgres:\n  redis:\n")
	p.up()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dataChecks[0].write(ctx, p, nil, "marka")
	p.mustSnap("snapshot", "save", "before")
	p.fill(ctx)
	dataChecks[0].write(ctx, p, nil, "markb")

	cmd := p.startSave("cut")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("save after Ctrl-C: %v, want exit 130", err)
	}
	if r := p.run("status", "-o", "json"); r.code != 0 {
		t.Fatalf("status right after Ctrl-C: exit %d\n%s", r.code, r.stdout)
	}
	p.afterFault(ctx, "cut")
}

// rewriteManifest copies capsule src to dst with its manifest changed: a capsule as
// another machine could hand over, checksums still right.
func rewriteManifest(t *testing.T, src, dst string, change func(*capsule.Manifest)) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := zstd.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw, _ := zstd.NewWriter(&out)
	tr, tw := tar.NewReader(zr), tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if h.Name == capsule.ManifestName {
			var m capsule.Manifest
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			change(&m)
			body, _ = json.Marshal(m)
			h.Size = int64(len(body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write(body)
	}
	_ = tw.Close()
	_ = zw.Close()
	if err := os.WriteFile(dst, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A snapshot whose data another major version wrote is refused by up's major-version
// guard, with its fix; one made with another checkout's credentials by the credentials
// guard. Either way the stack keeps its old data and runs; a hostile capsule is exit 2.
func TestSnapshotRestoreRefusedByTheGuards(t *testing.T) {
	a := newSnapProject(t, "services:\n  postgres:\n")
	a.up()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dataChecks[0].write(ctx, a, nil, "marka")
	a.mustSnap("snapshot", "save", "one")
	dataChecks[0].write(ctx, a, nil, "markb")
	exported := filepath.Join(t.TempDir(), "one.capsule")
	a.mustSnap("snapshot", "export", "one", exported)

	other := filepath.Join(t.TempDir(), "major.capsule")
	rewriteManifest(t, exported, other, func(m *capsule.Manifest) { m.Name, m.Services[0].Major = "major", 99 })
	a.mustSnap("snapshot", "import", other)
	r := a.snap("snapshot", "restore", "major")
	if r.code != 1 || !strings.Contains(r.stderr, "major version 99") || !strings.Contains(r.stderr, "keeps its old data") || !strings.Contains(r.stderr, "fix:") {
		t.Fatalf("restore of another major's data: exit %d\n%s", r.code, r.stderr)
	}
	if got := dataChecks[0].read(ctx, a, nil); strings.Join(got, ",") != "marka,markb" {
		t.Errorf("after the refused restore postgres holds %v, want its old data", got)
	}

	hostile := filepath.Join(t.TempDir(), "hostile.capsule")
	rewriteManifest(t, exported, hostile, func(m *capsule.Manifest) { m.Name = "../../escape" })
	if r := a.snap("snapshot", "import", hostile); r.code != 2 || !strings.Contains(r.stderr, "name:") {
		t.Fatalf("import of a capsule named ../../escape: exit %d %s", r.code, r.stderr)
	}

	b := newSnapProject(t, "services:\n  postgres:\n")
	b.up()
	dataChecks[0].write(ctx, b, nil, "markz")
	b.mustSnap("snapshot", "import", exported)
	r = b.snap("snapshot", "restore", "one")
	if r.code != 1 || !strings.Contains(r.stderr, "other credentials") || !strings.Contains(r.stderr, "keeps its old data") {
		t.Fatalf("restore of another checkout's data: exit %d\n%s", r.code, r.stderr)
	}
	if got := dataChecks[0].read(ctx, b, nil); strings.Join(got, ",") != "markz" {
		t.Errorf("after the refused restore the other checkout's postgres holds %v, want [markz]", got)
	}
}

// SIGKILL during a restore: the next command converges, and every service has the old
// data or every service the new one, never a mix, as the command says.
func TestSnapshotRestoreKilled(t *testing.T) {
	p := newSnapProject(t, "services:\n  postgres:\n  redis:\n")
	p.up()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	p.fill(ctx)
	for _, c := range dataChecks[:2] {
		c.write(ctx, p, nil, "marka")
	}
	p.mustSnap("snapshot", "save", "one")
	for _, c := range dataChecks[:2] {
		c.write(ctx, p, nil, "markb")
	}
	cmd := exec.Command(binary, "snapshot", "restore", "one")
	cmd.Dir, cmd.Env = p.dir, append(os.Environ(), "XDG_DATA_HOME="+p.data)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(p.dir, ".devstack", "snapshot-journal.json")
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if _, err := os.Stat(journal); err == nil {
			break
		}
	}
	time.Sleep(500 * time.Millisecond) // into the stop or the copy
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	r := invocation{dir: p.dir, extraEnv: []string{"XDG_DATA_HOME=" + p.data}}.run(t, "status", "-o", "json")
	if r.code != 0 {
		t.Fatalf("status after the kill: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want := "marka,markb"
	switch {
	case strings.Contains(r.stderr, "keeps the new data"):
		want = "marka"
	case strings.Contains(r.stderr, "keeps its old data"):
	default:
		if _, err := os.Stat(journal); err == nil {
			t.Fatalf("status left the journal and said nothing:\n%s", r.stderr)
		}
		t.Logf("the restore ended before the kill")
		want = "marka"
	}
	for _, c := range dataChecks[:2] {
		if got := c.read(ctx, p, nil); strings.Join(got, ",") != want {
			t.Errorf("%s holds %v, want %s (status said: %s)", c.service, got, want, r.stderr)
		}
	}
	p.mustSnap("snapshot", "restore", "one")
	for _, c := range dataChecks[:2] {
		if got := c.read(ctx, p, nil); strings.Join(got, ",") != "marka" {
			t.Errorf("%s after a restore that ran to its end: %v", c.service, got)
		}
	}
}

// Ctrl-C during a restore: exit 130, the stack runs on its old data, the new volumes are
// gone, and the snapshot still restores.
func TestSnapshotRestoreInterrupted(t *testing.T) {
	p := newSnapProject(t, "services:\n  postgres:\n  redis:\n")
	p.up()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	p.fill(ctx)
	for _, c := range dataChecks[:2] {
		c.write(ctx, p, nil, "marka")
	}
	p.mustSnap("snapshot", "save", "one")
	for _, c := range dataChecks[:2] {
		c.write(ctx, p, nil, "markb")
	}
	cmd := exec.Command(binary, "snapshot", "restore", "one")
	cmd.Dir, cmd.Env = p.dir, append(os.Environ(), "XDG_DATA_HOME="+p.data)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(p.dir, ".devstack", "snapshot-journal.json")
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if _, err := os.Stat(journal); err == nil {
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	_ = cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	ee, _ := err.(*exec.ExitError)
	switch {
	case err == nil:
		t.Log("the restore ended before Ctrl-C reached it")
		for _, c := range dataChecks[:2] {
			if got := c.read(ctx, p, nil); strings.Join(got, ",") != "marka" {
				t.Errorf("%s: %v", c.service, got)
			}
		}
		return
	case ee == nil || ee.ExitCode() != 130:
		t.Fatalf("restore after Ctrl-C: %v, want exit 130", err)
	}
	if r := p.run("status", "-o", "json"); r.code != 0 {
		t.Fatalf("status right after Ctrl-C: exit %d\n%s", r.code, r.stdout)
	}
	for _, c := range dataChecks[:2] {
		if got := c.read(ctx, p, nil); strings.Join(got, ",") != "marka,markb" {
			t.Errorf("%s after an interrupted restore holds %v, want its old data", c.service, got)
		}
	}
	if _, err := os.Stat(journal); err == nil {
		t.Error("the journal is still there")
	}
	if vols, err := connect(t).Volumes(ctx, p.id()); err != nil || len(vols) != 2 {
		t.Errorf("volumes after an interrupted restore: %v, want the two live ones", vols)
	}
	p.mustSnap("snapshot", "restore", "one")
	for _, c := range dataChecks[:2] {
		if got := c.read(ctx, p, nil); strings.Join(got, ",") != "marka" {
			t.Errorf("%s after a restore that ran to its end: %v", c.service, got)
		}
	}
}
