//go:build e2e

package main

// The image rows of issue 20 on the real engine, with the offline images (real servers
// from Debian's packages for redis, mariadb, influxdb and postgres: none is a stand-in).

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/services/engine"
)

// Frappe's MariaDB reports the character set and collation Frappe checks before
// bench new-site, through the server's own client inside its container; and the
// REDIS_URL devstack env prints is one redis-cli -u takes, run from the offline image's
// redis-cli (Redis 7.0) on the host's network with nothing but that URL.
func TestFrappeMariaDBCharsetAndRedisCLI(t *testing.T) {
	offlineImage(t, "DEVSTACK_IMAGE_MARIADB")
	redisImage := offlineImage(t, "DEVSTACK_IMAGE_REDIS")
	p := initPreset(t, "frappe")
	u := p.up()
	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	eng, err := engine.Connect(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	id := u.Services[u.byName()["mariadb"]].ID
	code, out, err := eng.Exec(ctx, id, []string{"mariadb", "-uroot", "-p" + env["MARIADB_ROOT_PASSWORD"], "-N", "-B",
		"-e", "SELECT @@character_set_server, @@collation_server"})
	if err != nil || code != 0 {
		t.Fatalf("mariadb client: exit %d %v: %s", code, err, out)
	}
	if got := strings.Join(strings.Fields(string(out)), " "); got != "utf8mb4 utf8mb4_unicode_ci" {
		t.Fatalf("server character set and collation: %q, want utf8mb4 utf8mb4_unicode_ci", got)
	}

	api := dockerAPI(t)
	url := env["REDIS_URL"]
	if !strings.HasPrefix(url, "redis://default:") {
		t.Fatalf("REDIS_URL %q does not name the user default", url)
	}
	if code, out := runOnce(t, api, redisImage, "host", nil, "redis-cli", "-u", url, "ping"); code != 0 || lastLine(out) != "PONG" {
		t.Fatalf("redis-cli -u REDIS_URL ping: exit %d: %s", code, out)
	}
	// redis-py, which Celery, RQ and Frappe connect through, from the same URL.
	t.Run("redis-py", func(t *testing.T) {
		const python = "/usr/bin/python3"
		if err := exec.Command(python, "-c", "import redis").Run(); err != nil {
			t.Skipf("SKIPPED: %s cannot import redis (%v): apt-get install python3-redis", python, err)
		}
		out, err := exec.CommandContext(ctx, python, "-c", "import redis, sys; print(redis.Redis.from_url(sys.argv[1]).ping())", url).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "True" {
			t.Fatalf("redis-py from_url(REDIS_URL).ping(): %v: %s", err, out)
		}
	})
	// The control: the form devstack printed before, which this redis-cli refuses.
	old := strings.Replace(url, "redis://default:", "redis://:", 1)
	if code, out := runOnce(t, api, redisImage, "host", nil, "redis-cli", "-u", old, "ping"); code == 0 && lastLine(out) == "PONG" {
		t.Fatalf("redis-cli took redis://:PASS@host too: the control proves nothing (%s)", out)
	}
}

// Realmocean comes up in directories whose names are not bare InfluxQL identifiers (the
// image's init script sends CREATE DATABASE $INFLUXDB_DB unquoted), and InfluxDB takes a
// write and a query in the database devstack env names.
func TestRealmoceanInAwkwardDirectories(t *testing.T) {
	offlineImage(t, "DEVSTACK_IMAGE_INFLUXDB")
	for _, tt := range []struct{ dir, database string }{
		{"1ocean", "db_1ocean"},
		{"my-ocean", "my_ocean"},
		{"select", "select_db"},
	} {
		t.Run(tt.dir, func(t *testing.T) {
			p := initPresetIn(t, "realmocean", tt.dir)
			u := p.up()
			env := p.env()
			if env["INFLUXDB_DATABASE"] != tt.database {
				t.Fatalf("INFLUXDB_DATABASE %q, want %q", env["INFLUXDB_DATABASE"], tt.database)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			for _, s := range u.Services {
				t.Run(s.Name, func(t *testing.T) { serviceWork[s.Name](t, ctx, env) })
			}
		})
	}
}

// initPresetIn runs init --preset in a directory of the given name, keeping the project
// name init derives from it; only the offset changes, to a free one.
func initPresetIn(t *testing.T, preset, dirName string) *stackProject {
	t.Helper()
	requireEngine(t)
	dir := filepath.Join(t.TempDir(), dirName)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &stackProject{t: t, dir: dir, name: config.ProjectName(dirName)}
	if r := p.run("init", "--preset", preset); r.code != 0 {
		t.Fatalf("init --preset %s: exit %d\n%s%s", preset, r.code, r.stdout, r.stderr)
	}
	path := filepath.Join(dir, config.FileName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^project: "?` + regexp.QuoteMeta(p.name) + `"?$`).Match(data) {
		t.Fatalf("init did not name the project %s:\n%s", p.name, data)
	}
	services := string(data[strings.Index(string(data), "\nservices:\n")+1:])
	text := regexp.MustCompile(`(?m)^offset: 0$`).ReplaceAllString(string(data), fmt.Sprintf("offset: %d", freeOffset(t, services)))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if r := p.run("down", "--volumes"); r.code != 0 {
			t.Errorf("cleanup: down --volumes exited %d: %s", r.code, r.stderr)
		}
	})
	return p
}

// A PostgreSQL 18 volume (PG_VERSION under 18/docker, none at its root) made before
// devstack labelled majors is refused under the machine's PostgreSQL 15 image: the
// guard reads PG_VERSION where 18 keeps it, through the engine's archive API.
func TestPostgresGuardReadsAnUnlabelled18Volume(t *testing.T) {
	pgImage := offlineImage(t, "DEVSTACK_IMAGE_POSTGRES")
	p := newStackProject(t, "services:\n  postgres:\n")
	api := dockerAPI(t)
	major := imageEnv(t, api, pgImage, "PG_MAJOR")
	ctx := context.Background()
	vol := p.id() + "-postgres-data"
	if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: vol,
		Labels: map[string]string{"dev.devstack.project": p.id(), "dev.devstack.service": "postgres"}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.VolumeRemove(context.Background(), vol, true) })
	mounts := []mount.Mount{{Type: mount.TypeVolume, Source: vol, Target: "/var/lib/postgresql"}}
	if code, out := runOnce(t, api, pgImage, "none", mounts, "sh", "-c",
		"mkdir -p /var/lib/postgresql/18/docker && echo 18 > /var/lib/postgresql/18/docker/PG_VERSION"); code != 0 {
		t.Fatalf("write PG_VERSION: exit %d: %s", code, out)
	}
	r := p.run("up")
	if r.code != 1 {
		t.Fatalf("up over an 18 volume with a %s image: exit %d, want 1\n%s%s", major, r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"written by major version 18", "is major version " + major} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, r.stderr)
		}
	}
}

// runOnce runs cmd in a new container of img (entrypoint replaced) and returns its exit
// code and output; the container is removed.
func runOnce(t *testing.T, api *client.Client, img, network string, mounts []mount.Mount, cmd ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	created, err := api.ContainerCreate(ctx, &container.Config{Image: img, Entrypoint: cmd[:1], Cmd: cmd[1:]},
		&container.HostConfig{NetworkMode: container.NetworkMode(network), Mounts: mounts}, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = api.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
	}()
	if err := api.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	waitC, errC := api.ContainerWait(ctx, created.ID, container.WaitConditionNotRunning)
	var code int
	select {
	case w := <-waitC:
		code = int(w.StatusCode)
	case err := <-errC:
		t.Fatal(err)
	}
	logs, err := api.ContainerLogs(ctx, created.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	var out bytes.Buffer
	_, _ = stdcopy.StdCopy(&out, &out, logs)
	return code, out.String()
}

// lastLine is the last line of out: redis-cli warns about a password on its command
// line before the answer.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
