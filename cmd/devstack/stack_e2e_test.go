//go:build e2e

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/prometheus/procfs"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/redis/go-redis/v9"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services/engine"
)

type upJSON struct {
	OK       bool `json:"ok"`
	Services []struct {
		Name   string `json:"name"`
		ID     string `json:"id"`
		Action string `json:"action"`
		Ready  bool   `json:"ready"`
		Error  string `json:"error"`
		Logs   []string
		Ports  []struct {
			HostIP   string `json:"host_ip"`
			HostPort int    `json:"host_port"`
		} `json:"ports"`
	} `json:"services"`
}

func (u upJSON) byName() map[string]int {
	m := map[string]int{}
	for i, s := range u.Services {
		m[s.Name] = i
	}
	return m
}

// stackProject is a project directory with its own name and a free offset, torn down
// (volumes too) when the test ends.
type stackProject struct {
	t    *testing.T
	dir  string
	name string
	base string // devstack.yaml without the services section
}

func newStackProject(t *testing.T, services string) *stackProject {
	t.Helper()
	requireEngine(t)
	name := fmt.Sprintf("e2e-%s-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), time.Now().UnixNano()%100000)
	name = config.ProjectName(name)
	p := &stackProject{t: t, dir: t.TempDir(), name: name}
	p.base = fmt.Sprintf("project: %s\noffset: %d\n", name, freeOffset(t, services))
	p.write(services)
	t.Cleanup(func() {
		if r := p.run("down", "--volumes"); r.code != 0 {
			t.Errorf("cleanup: down --volumes exited %d: %s", r.code, r.stderr)
		}
	})
	return p
}

// id is the project's identity: what its containers, volumes and network are named after
// and labelled with (the name and a hash of the checkout's real path).
func (p *stackProject) id() string {
	p.t.Helper()
	real, err := filepath.EvalSymlinks(p.dir)
	if err != nil {
		p.t.Fatal(err)
	}
	return config.DeriveIdentity(p.name, real).ID
}

func (p *stackProject) write(services string) {
	p.t.Helper()
	if err := os.WriteFile(filepath.Join(p.dir, "devstack.yaml"), []byte(p.base+services), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// run runs devstack in the project with the test's environment, where CI puts the
// DEVSTACK_IMAGE_* lines of the offline images.
func (p *stackProject) run(args ...string) result {
	p.t.Helper()
	return invocation{dir: p.dir}.run(p.t, args...)
}

func (p *stackProject) up(args ...string) upJSON {
	p.t.Helper()
	r := p.run(append([]string{"up", "-o", "json"}, args...)...)
	var u upJSON
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil {
		p.t.Fatalf("up: exit %d, stdout not JSON (%v):\n%s\nstderr:\n%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != 0 || !u.OK {
		p.t.Fatalf("up: exit %d\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	return u
}

func (p *stackProject) env() map[string]string {
	p.t.Helper()
	r := p.run("env", "--format", "json")
	m := map[string]string{}
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || r.code != 0 {
		p.t.Fatalf("env: exit %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	return m
}

// freeOffset finds an offset, away from the defaults a developer's own stack uses, at
// which every port of the services is free.
func freeOffset(t *testing.T, services string) int {
	t.Helper()
	dir := t.TempDir()
	for offset := 20000; offset <= 45000; offset += 100 {
		yaml := fmt.Sprintf("offset: %d\n%s", offset, services)
		if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(config.Options{Dir: dir, Getenv: func(string) string { return "" }})
		if err != nil {
			t.Fatal(err)
		}
		r, err := ports.Run(context.Background(), cfg, nil, false)
		if err == nil && r.OK {
			return offset
		}
	}
	t.Fatal("no free offset")
	return 0
}

const allFive = "services:\n  redis:\n  postgres:\n  rabbitmq:\n  opensearch:\n  minio:\n"

// The whole life of a stack: up, real work through real clients, idempotence, a changed
// service, down and up with data kept, down --volumes with data gone.
func TestStackLifecycle(t *testing.T) {
	p := newStackProject(t, allFive)
	first := p.up()
	idx := first.byName()
	for _, name := range []string{"redis", "postgres", "rabbitmq", "opensearch", "minio"} {
		s := first.Services[idx[name]]
		if !s.Ready || s.Action != "created" || s.ID == "" {
			t.Fatalf("%s after first up: %+v", name, s)
		}
	}
	env := p.env()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	writeData(ctx, t, env)
	noWildcardListeners(t, first)

	// A second up touches nothing.
	second := p.up()
	for _, s := range second.Services {
		if s.Action != "unchanged" || s.ID != first.Services[idx[s.Name]].ID {
			t.Errorf("second up changed %s: %+v", s.Name, s)
		}
	}

	// A changed environment re-creates that service only, with its volume kept.
	p.write(strings.Replace(allFive, "  redis:\n", "  redis: {env: {DEVSTACK_E2E_MARK: changed}}\n", 1))
	third := p.up()
	for _, s := range third.Services {
		want := "unchanged"
		if s.Name == "redis" {
			want = "recreated"
		}
		if s.Action != want || (want == "unchanged") != (s.ID == first.Services[idx[s.Name]].ID) {
			t.Errorf("after changing redis's env, %s: %+v", s.Name, s)
		}
	}
	readData(ctx, t, env, true, "after re-creating redis")

	// down keeps volumes; up brings the data back.
	if r := p.run("down"); r.code != 0 || !strings.Contains(r.stdout, "volumes kept") {
		t.Fatalf("down: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := p.run("status", "-o", "json"); r.code != 1 || !strings.Contains(r.stdout, `"state": "missing"`) {
		t.Fatalf("status after down: %d %s", r.code, r.stdout)
	}
	p.up()
	readData(ctx, t, env, true, "after down and up")
	if r := p.run("status", "-o", "json"); r.code != 0 || strings.Contains(r.stdout, `"ready": false`) {
		t.Fatalf("status after up: %d %s", r.code, r.stdout)
	}
	if r := p.run("logs", "postgres", "--tail", "5"); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "ready to accept connections") {
		t.Fatalf("logs postgres: %d %q %q", r.code, r.stdout, r.stderr)
	}

	// down --volumes deletes the data.
	if r := p.run("down", "--volumes"); r.code != 0 || !strings.Contains(r.stdout, "removed volume") {
		t.Fatalf("down --volumes: %d %s %s", r.code, r.stdout, r.stderr)
	}
	p.up()
	readData(ctx, t, env, false, "after down --volumes")
}

// writeData does real work in each service through its own client.
func writeData(ctx context.Context, t *testing.T, env map[string]string) {
	t.Helper()
	opt, err := redis.ParseURL(env["REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.Set(ctx, "e2e-key", "kept", 0).Err(); err != nil {
		t.Fatalf("redis SET: %v", err)
	}
	if v, err := rdb.Get(ctx, "e2e-key").Result(); err != nil || v != "kept" {
		t.Fatalf("redis GET: %q %v", v, err)
	}

	pg, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer pg.Close(ctx)
	if _, err := pg.Exec(ctx, "CREATE TABLE e2e (v text); INSERT INTO e2e VALUES ('kept')"); err != nil {
		t.Fatalf("postgres write: %v", err)
	}

	conn, err := amqp.Dial(env["AMQP_URL"])
	if err != nil {
		t.Fatalf("rabbitmq: %v", err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	q, err := ch.QueueDeclare("e2e", false, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.PublishWithContext(ctx, "", q.Name, false, false, amqp.Publishing{Body: []byte("hello")}); err != nil {
		t.Fatalf("publish: %v", err)
	}
	var got amqp.Delivery
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var ok bool
		if got, ok, err = ch.Get(q.Name, true); err != nil || ok {
			break
		}
	}
	if err != nil || string(got.Body) != "hello" {
		t.Fatalf("consume: %q %v", got.Body, err)
	}

	mc := minioClient(t, env)
	body := []byte("object kept")
	if _, err := mc.PutObject(ctx, env["S3_BUCKET"], "e2e.txt", bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{}); err != nil {
		t.Fatalf("minio put: %v", err)
	}

	// OpenSearch here is the offline stand-in (an HTTP imitation, not OpenSearch): this
	// shows devstack's wiring to it, not OpenSearch's own behaviour.
	doc := `{"title": "devstack"}`
	code, _ := httpDo(t, http.MethodPut, env["OPENSEARCH_URL"]+"/e2e/_doc/1?refresh=true", doc)
	if code != 200 && code != 201 {
		t.Fatalf("opensearch index: HTTP %d", code)
	}
	_, count := httpDo(t, http.MethodGet, env["OPENSEARCH_URL"]+"/e2e/_count", "")
	if !strings.Contains(count, `"count": 1`) && !strings.Contains(count, `"count":1`) {
		t.Fatalf("opensearch count: %s", count)
	}
	readData(ctx, t, env, true, "right after writing")
}

// readData checks what writeData left in the services with volumes.
func readData(ctx context.Context, t *testing.T, env map[string]string, want bool, when string) {
	t.Helper()
	opt, _ := redis.ParseURL(env["REDIS_URL"])
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	v, err := rdb.Get(ctx, "e2e-key").Result()
	if want && (err != nil || v != "kept") || !want && !errors.Is(err, redis.Nil) {
		t.Errorf("%s: redis e2e-key = %q, %v (want present: %v)", when, v, err, want)
	}

	pg, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatalf("%s: postgres: %v", when, err)
	}
	defer pg.Close(ctx)
	var row string
	err = pg.QueryRow(ctx, "SELECT v FROM e2e").Scan(&row)
	if want && (err != nil || row != "kept") || !want && (err == nil || !strings.Contains(err.Error(), "does not exist")) {
		t.Errorf("%s: postgres row = %q, %v (want present: %v)", when, row, err, want)
	}

	mc := minioClient(t, env)
	obj, err := mc.GetObject(ctx, env["S3_BUCKET"], "e2e.txt", minio.GetObjectOptions{})
	var data []byte
	if err == nil {
		data, err = io.ReadAll(obj)
	}
	if want && (err != nil || string(data) != "object kept") || !want && err == nil {
		t.Errorf("%s: minio object = %q, %v (want present: %v)", when, data, err, want)
	}
}

func minioClient(t *testing.T, env map[string]string) *minio.Client {
	t.Helper()
	endpoint := strings.TrimPrefix(env["S3_ENDPOINT_URL"], "http://")
	c, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"], "")})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func httpDo(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// noWildcardListeners reads the host's own listening sockets: every published port must
// listen on 127.0.0.1 only, whatever Docker reports.
func noWildcardListeners(t *testing.T, u upJSON) {
	t.Helper()
	fs, err := procfs.NewFS("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var lines procfs.NetTCP
	//lint:ignore SA1019 the same reader as ports/holder_linux.go, which says why
	for _, read := range []func() (procfs.NetTCP, error){fs.NetTCP, fs.NetTCP6} {
		l, err := read()
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		lines = append(lines, l...)
	}
	for _, s := range u.Services {
		for _, p := range s.Ports {
			if p.HostIP != "127.0.0.1" {
				t.Errorf("%s: engine reports %s:%d", s.Name, p.HostIP, p.HostPort)
			}
			listening := 0
			for _, l := range lines {
				if l.St != 0x0A || int(l.LocalPort) != p.HostPort {
					continue
				}
				listening++
				if !l.LocalAddr.Equal(net.ParseIP("127.0.0.1")) {
					t.Errorf("%s: port %d listens on %s", s.Name, p.HostPort, l.LocalAddr)
				}
			}
			if listening == 0 {
				t.Errorf("%s: nothing listens on port %d", s.Name, p.HostPort)
			}
		}
	}
}

func TestUpRefusesAHeldPortAndCreatesNothing(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n  postgres:\n")
	cfg, err := config.Load(config.Options{Dir: p.dir})
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := ports.NewPlan(cfg)
	pgPort := plan.Ports[1].Host
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", pgPort))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := p.run("up")
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("postgres port %d on 127.0.0.1 is held by pid %d", pgPort, os.Getpid())) ||
		!strings.Contains(r.stderr, "devstack ports --suggest") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	eng := connect(t)
	for _, svc := range []string{"redis", "postgres"} {
		if _, err := eng.Inspect(context.Background(), p.id()+"-"+svc); !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("%s: a container exists after a refused up (%v)", svc, err)
		}
	}
}

func TestUpLeavesAForeignContainerAlone(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	eng := connect(t)
	image := os.Getenv("DEVSTACK_IMAGE_REDIS")
	if image == "" {
		image = "redis:7"
	}
	name := p.id() + "-redis"
	id, err := eng.Create(context.Background(), engine.ContainerSpec{Name: name, Image: image, Labels: map[string]string{"owner": "someone-else"}, Network: defaultNetwork(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Remove(context.Background(), id)
	r := p.run("up")
	if r.code != 1 || !strings.Contains(r.stderr, "was not made by devstack") || !strings.Contains(r.stderr, "docker rm -f "+name) {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	c, err := eng.Inspect(context.Background(), name)
	if err != nil || c.ID != id || c.State != "created" || c.Labels["owner"] != "someone-else" {
		t.Fatalf("foreign container changed: %+v %v", c, err)
	}
}

// The OpenSearch stand-in, like OpenSearch 2.12+, exits at start without
// DISABLE_INSTALL_DEMO_CONFIG=true: up must fail for it at once, with its log, and keep
// the services that are ready.
func TestUpFailsFastWhenAServiceExits(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n  opensearch: {env: {DISABLE_INSTALL_DEMO_CONFIG: \"false\"}}\n")
	start := time.Now()
	r := p.run("up", "-o", "json", "--timeout", "150s")
	took := time.Since(start)
	var u upJSON
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil {
		t.Fatalf("%v: %s %s", err, r.stdout, r.stderr)
	}
	os := u.Services[u.byName()["opensearch"]]
	if r.code != 1 || u.OK || os.Ready || !strings.Contains(os.Error, "container exited with code") ||
		!strings.Contains(strings.Join(os.Logs, "\n"), "OPENSEARCH_INITIAL_ADMIN_PASSWORD") {
		t.Fatalf("exit %d: %+v", r.code, u)
	}
	// Well inside the 150s deadline: the exit is noticed, not waited out.
	if took > 60*time.Second {
		t.Fatalf("up took %s to report an exited container", took)
	}
	if rs := u.Services[u.byName()["redis"]]; !rs.Ready {
		t.Fatalf("redis should stay up and ready: %+v", rs)
	}
}

func TestEnvFormatsAndSecrets(t *testing.T) {
	p := newStackProject(t, "services:\n  postgres:\n  minio:\n")
	r := p.run("env")
	if r.code != 0 || !strings.Contains(r.stdout, "DATABASE_URL=postgresql://devstack:") || !strings.Contains(r.stdout, "S3_BUCKET=") {
		t.Fatalf("dotenv: %d %s", r.code, r.stdout)
	}
	r2 := p.run("env", "--format", "shell")
	if !strings.Contains(r2.stdout, "export DATABASE_URL='postgresql://devstack:") {
		t.Fatalf("shell: %s", r2.stdout)
	}
	// The same credentials each time, kept private.
	if again := p.run("env"); again.stdout != r.stdout {
		t.Fatalf("credentials changed between runs")
	}
	st, err := os.Stat(filepath.Join(p.dir, ".devstack", "secrets.env"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secrets.env: %v %v", st, err)
	}
	ignore, err := os.ReadFile(filepath.Join(p.dir, ".devstack", ".gitignore"))
	if err != nil || !strings.Contains(string(ignore), "*") {
		t.Fatalf(".devstack/.gitignore: %q %v", ignore, err)
	}
	if r := p.run("env", "--format", "yaml"); r.code != 2 {
		t.Fatalf("--format yaml: exit %d", r.code)
	}
}

func connect(t *testing.T) *engine.Client {
	t.Helper()
	c, err := engine.Connect(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// An image that cannot be pulled (a registry on a port nothing listens on) fails up with
// the image's name and the way to point devstack at another, before anything is created.
func TestUpNamesAnImageThatCannotBePulled(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	image := "127.0.0.1:1/devstack-e2e/missing:1"
	r := invocation{dir: p.dir, extraEnv: []string{"DEVSTACK_IMAGE_REDIS=" + image}}.run(t, "up")
	if r.code != 1 || !strings.Contains(r.stderr, "image "+image+" (redis)") || !strings.Contains(r.stderr, "DEVSTACK_IMAGE_REDIS=IMAGE") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	if _, err := connect(t).Inspect(context.Background(), p.id()+"-redis"); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("a container exists after a failed pull: %v", err)
	}
}

// --bind 0.0.0.0 works, says what it opens, and the engine publishes where it was asked.
func TestUpOnEveryInterfaceWarns(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	r := p.run("up", "--bind", "0.0.0.0", "-o", "json")
	var u upJSON
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil || r.code != 0 {
		t.Fatalf("exit %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, `{"warning":"binding on 0.0.0.0 opens every service to the network`) {
		t.Fatalf("no warning: %q", r.stderr)
	}
	if ps := u.Services[0].Ports; len(ps) != 1 || ps[0].HostIP != "0.0.0.0" || !u.Services[0].Ready {
		t.Fatalf("redis: %+v", u.Services[0])
	}
}

func TestUpNoWaitReturnsWithoutReadiness(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	r := p.run("up", "--no-wait", "-o", "json")
	var u struct {
		OK       bool `json:"ok"`
		Waited   bool `json:"waited"`
		Services []struct {
			Action string `json:"action"`
			Ready  bool   `json:"ready"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil || r.code != 0 || !u.OK || u.Waited || u.Services[0].Action != "created" || u.Services[0].Ready {
		t.Fatalf("exit %d %v %s", r.code, err, r.stdout)
	}
	c, err := connect(t).Inspect(context.Background(), p.id()+"-redis")
	if err != nil || c.State != "running" {
		t.Fatalf("container %+v %v", c, err)
	}
}

// Ctrl-C while up waits (on the OpenSearch stand-in, which answers after 8 s): up stops
// waiting with exit 130 and says so; the next up finds the container and waits again.
func TestInterruptedUpIsRepairedByTheNext(t *testing.T) {
	p := newStackProject(t, "services:\n  opensearch:\n")
	code, stdout, stderr := p.interruptWhileWaiting("up")
	if code != 130 {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, "interrupted before it was ready") || !strings.Contains(stderr, "error: interrupted") {
		t.Fatalf("stdout %q stderr %q", stdout, stderr)
	}
	again := p.up()
	if s := again.Services[0]; !s.Ready || s.Action != "unchanged" {
		t.Fatalf("next up: %+v", s)
	}
}

func TestInitFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	inv := invocation{dir: dir}
	if r := inv.run(t, "init"); r.code != 0 || !strings.Contains(r.stdout, "wrote "+filepath.Join(dir, "devstack.yaml")) {
		t.Fatalf("init: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := inv.run(t, "ports", "-o", "json"); r.code > 1 {
		t.Fatalf("the written devstack.yaml does not load: %d %s", r.code, r.stderr)
	}
	if r := inv.run(t, "init"); r.code != 2 || !strings.Contains(r.stderr, "devstack init --force") {
		t.Fatalf("second init: %d %s", r.code, r.stderr)
	}
	if r := inv.run(t, "init", "--force"); r.code != 0 {
		t.Fatalf("init --force: %d %s", r.code, r.stderr)
	}
}

// interruptWhileWaiting runs devstack with args, sends it Ctrl-C once it says it waits
// on a service, and returns its exit code and output.
func (p *stackProject) interruptWhileWaiting(args ...string) (code int, stdout, stderr string) {
	p.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = p.dir
	var out bytes.Buffer
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	buf := make([]byte, 4096)
	var seen string
	for !strings.Contains(seen, "waiting until it answers") {
		n, err := pipe.Read(buf)
		if err != nil {
			p.t.Fatalf("devstack %s ended before waiting: %v\n%s", strings.Join(args, " "), err, seen)
		}
		seen += string(buf[:n])
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		p.t.Fatal(err)
	}
	rest, _ := io.ReadAll(pipe)
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		p.t.Fatal(err)
	}
	return code, out.String(), seen + string(rest)
}
