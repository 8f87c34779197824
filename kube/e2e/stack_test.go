//go:build kube

package kubee2e

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gomodule/redigo/redis"
	"github.com/jackc/pgx/v5"
)

type upReport struct {
	OK       bool `json:"ok"`
	Services []struct {
		Name  string `json:"name"`
		Ready bool   `json:"ready"`
		Error string `json:"error"`
	} `json:"services"`
}

// up, env, forward, status and down of redis and postgres on the cluster: each waited on
// with its own protocol through a port-forward; the official clients (pgx, redigo)
// connect with nothing but what devstack env prints, while devstack forward runs; down
// removes what the checkout made and, with --volumes, its data.
func TestKubeUpEnvForwardStatusDown(t *testing.T) {
	needCluster(t)
	p := newProject(t, "project: kubee2e\noffset: 7000\nservices:\n  redis: {}\n  postgres: {}\n")
	const eng = "--engine=kubernetes"
	up := p.must("up", eng, "-o", "json")
	ns := namespaceOf(t, up.stderr)
	t.Cleanup(func() { _, _ = kubectl(t, "delete", "namespace", ns, "--wait=false") })
	var rep upReport
	decode(t, up.stdout, &rep)
	if !rep.OK || len(rep.Services) != 2 {
		t.Fatalf("up: %s", up.stdout)
	}
	t.Logf("up took %s", up.took)
	// The namespace enforces Pod Security's baseline: the pods were admitted under it.
	if got := mustKubectl(t, "get", "namespace", ns, "-o", "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}"); got != "baseline" {
		t.Fatalf("namespace %s enforces %q, want baseline", ns, got)
	}
	if got := mustKubectl(t, "-n", ns, "get", "pods", "-l", "dev.devstack/service=postgres", "-o", "jsonpath={.items[0].spec.containers[0].imagePullPolicy}"); got != "IfNotPresent" {
		t.Fatalf("imagePullPolicy %q", got)
	}

	env := p.must("env", eng, "--format", "shell")
	if !strings.Contains(env.stderr, "nothing forwards") {
		t.Fatalf("env did not say that nothing forwards the ports: %s", env.stderr)
	}
	settings := parseExports(env.stdout)
	for _, k := range []string{"REDIS_URL", "DATABASE_URL"} {
		if !strings.Contains(settings[k], "@127.0.0.1:") {
			t.Fatalf("%s = %q, want 127.0.0.1", k, settings[k])
		}
	}
	if !strings.Contains(settings["REDIS_URL"], ":13579/") || !strings.Contains(settings["DATABASE_URL"], ":12632/") {
		t.Fatalf("ports are not the placement's (+200 plus offset 7000): %v", settings)
	}
	if st := p.run("status", eng, "-o", "json"); st.code != 0 || !strings.Contains(st.stdout, "not forwarded") {
		t.Fatalf("status: exit %d\n%s\n%s", st.code, st.stdout, st.stderr)
	}

	stop := startForwardOf(t, p, eng, []string{"redis", "postgres"})
	env = p.must("env", eng, "--format", "shell")
	if !strings.Contains(env.stderr, "forwarded to namespace "+ns) {
		t.Fatalf("env with a forward running did not say so: %s", env.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, settings["DATABASE_URL"])
	if err != nil {
		t.Fatalf("pgx with DATABASE_URL: %v", err)
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1: %v", err)
	}
	conn.Close(ctx)
	rc, err := redis.DialURL(settings["REDIS_URL"])
	if err != nil {
		t.Fatalf("redigo with REDIS_URL: %v", err)
	}
	if pong, err := redis.String(rc.Do("PING")); err != nil || pong != "PONG" {
		t.Fatalf("PING: %q %v", pong, err)
	}
	rc.Close()
	// The pod restarts (a node drained, a crash): forward opens its forward again.
	mustKubectl(t, "-n", ns, "delete", "pod", "redis-0", "--wait=true")
	waitFor(t, 90*time.Second, func() bool {
		c, err := redis.DialURL(settings["REDIS_URL"], redis.DialConnectTimeout(2*time.Second), redis.DialReadTimeout(2*time.Second))
		if err != nil {
			return false
		}
		defer c.Close()
		pong, err := redis.String(c.Do("PING"))
		return err == nil && pong == "PONG"
	}, "after redis's pod was replaced, its forwarded port did not answer again")
	stop()
	if env := p.must("env", eng); !strings.Contains(env.stderr, "nothing forwards") {
		t.Fatalf("env after forward ended still says it runs: %s", env.stderr)
	}

	// A second up changes nothing and still probes each service.
	again := p.must("up", eng, "-o", "json")
	if !strings.Contains(again.stdout, `"action": "unchanged"`) {
		t.Fatalf("second up: %s", again.stdout)
	}

	p.must("down", eng)
	if out := mustKubectl(t, "-n", ns, "get", "pvc", "-l", "dev.devstack/project", "-o", "name"); strings.Count(out, "persistentvolumeclaim/") != 2 {
		t.Fatalf("down without --volumes deleted claims: %q", out)
	}
	p.must("down", eng, "--volumes")
	waitFor(t, 60*time.Second, func() bool {
		out, _ := kubectl(t, "-n", ns, "get", "statefulsets,services,secrets,pvc", "-l", "app.kubernetes.io/managed-by=devstack", "-o", "name")
		return strings.TrimSpace(out) == ""
	}, "down --volumes left objects in "+ns)
}

// startForwardOf runs devstack forward until stop, once it says each service is forwarded.
func startForwardOf(t *testing.T, p *project, eng string, services []string) (stop func()) {
	t.Helper()
	cmd := exec.Command(binary, "forward", eng)
	cmd.Dir, cmd.Env = p.dir, p.env
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	forwarded := map[string]bool{}
	deadline := time.After(60 * time.Second)
	for len(forwarded) < len(services) {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("devstack forward ended: %v", cmd.Wait())
			}
			for _, s := range services {
				if strings.Contains(l, s+": forwarding 127.0.0.1:") {
					forwarded[s] = true
				}
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatalf("devstack forward did not forward %v in 60s (only %v)", services, forwarded)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("devstack forward after Ctrl-C: %v", err)
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("devstack forward did not stop on Ctrl-C")
		}
	}
}

func parseExports(s string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimPrefix(l, "export ")
		k, v, ok := strings.Cut(l, "=")
		if ok {
			out[k] = strings.Trim(v, `'"`)
		}
	}
	return out
}

func waitFor(t *testing.T, d time.Duration, ok func() bool, msg string) {
	t.Helper()
	end := time.Now().Add(d)
	for !ok() {
		if time.Now().After(end) {
			t.Fatal(msg)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
