//go:build e2e

package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Outside any project (no devstack.yaml here or above, no git work tree: / or a home
// directory), the commands that keep a project's state refuse with exit 2 and what to run,
// and create nothing; doctor and ports still answer. None of them reaches the engine.
func TestOutsideAProjectRefuses(t *testing.T) {
	home := t.TempDir()
	inv := invocation{dir: home, extraEnv: []string{"HOME=" + home}}
	for _, args := range [][]string{{"env"}, {"up"}, {"status"}, {"logs", "redis"}, {"down"}, {"fixtures"}, {"bootstrap", "--skip-doctor"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := inv.run(t, args...)
			if r.code != 2 || !strings.Contains(r.stderr, home+" is not a project") || !strings.Contains(r.stderr, "fix: ") || !strings.Contains(r.stderr, "devstack init") {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			r = inv.run(t, append(args, "-o", "json")...)
			var e struct {
				OK         *bool
				Error, Fix string
			}
			if r.code != 2 || json.Unmarshal([]byte(r.stdout), &e) != nil || e.OK == nil || *e.OK || e.Fix == "" {
				t.Fatalf("JSON: exit %d, stdout %q", r.code, r.stdout)
			}
		})
	}
	if r := inv.run(t, "ports", "-o", "json"); r.code == 2 {
		t.Errorf("ports outside a project: exit 2: %s", r.stderr)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("files created outside a project: %v", entries)
	}
}

// A fresh clone with no devstack.yaml is a project on the defaults: its root is the
// git work tree's, wherever in it devstack runs, and .devstack/ is written there.
func TestAGitCloneIsAProject(t *testing.T) {
	repo := filepath.Join(t.TempDir(), "shop")
	sub := filepath.Join(repo, "src", "app")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	r := invocation{dir: sub}.run(t, "env", "--format", "json")
	var env map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &env); r.code != 0 || err != nil || env["S3_BUCKET"] != "shop" {
		t.Fatalf("env: exit %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "the project is the git work tree "+repo) {
		t.Errorf("no note naming the project: %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(repo, ".devstack", "secrets.env")); err != nil {
		t.Errorf("secrets not kept at the work tree's root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(sub, ".devstack")); !os.IsNotExist(err) {
		t.Errorf(".devstack/ made in the subdirectory: %v", err)
	}
}

// With the engine unreachable (a wrong DOCKER_HOST: a closed port, a socket that is not
// there), `ports` names the engine as the cause, the address tried and how to point at
// another, instead of blaming the docker-proxy that holds this project's own ports.
func TestPortsNamesAnUnreachableEngine(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	p.up()
	closed := "tcp://" + closedPort(t)
	for _, host := range []string{closed, "unix://" + filepath.Join(t.TempDir(), "docker.sock")} {
		t.Run(host, func(t *testing.T) {
			inv := invocation{dir: p.dir, extraEnv: []string{"DOCKER_HOST=" + host}}
			r := inv.run(t, "ports")
			want := "the Docker engine at " + host + " (from DOCKER_HOST) does not answer"
			if r.code != 1 || !strings.Contains(r.stdout, "cannot tell whether by its own containers: "+want) ||
				!strings.Contains(r.stdout, "fix: ") || !strings.Contains(r.stdout, "DOCKER_HOST") {
				t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			r = inv.run(t, "ports", "-o", "json")
			var rep struct {
				OK          bool   `json:"ok"`
				EngineError string `json:"engine_error"`
				EngineFix   string `json:"engine_fix"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 1 || rep.OK || !strings.Contains(rep.EngineError, want) || rep.EngineFix == "" {
				t.Fatalf("JSON: exit %d %v\n%s", r.code, err, r.stdout)
			}
		})
	}
	// With the engine found again, the same ports are this project's own.
	if r := p.run("ports"); r.code != 0 || !strings.Contains(r.stdout, "devstack: redis") {
		t.Fatalf("ports with the engine: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// closedPort is a 127.0.0.1 address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// In a git work tree, bootstrap keeps its passwords out of git: an env file git does not
// ignore is added to .gitignore before it is written; a tracked one gets no secret, and
// the error says what to do (git rm --cached, or another env_file).
func TestBootstrapKeepsTheEnvFileOutOfGit(t *testing.T) {
	p := newStackProject(t, "services:\n  redis:\n")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = p.dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("init", "-q")
	envPath := filepath.Join(p.dir, ".env")
	tracked := "# committed by mistake\nDEBUG=1\n"
	if err := os.WriteFile(envPath, []byte(tracked), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", ".env")

	r := p.run("bootstrap", "--skip-doctor")
	if r.code != 1 || !strings.Contains(r.stderr, ".env is tracked by git") || !strings.Contains(r.stderr, "git rm --cached .env") ||
		!strings.Contains(r.stderr, "env_file: .env.local") {
		t.Fatalf("bootstrap over a tracked .env: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if got, _ := os.ReadFile(envPath); string(got) != tracked {
		t.Fatalf("the tracked .env was written: %q", got)
	}

	// Untracked (the file kept), and not ignored yet: bootstrap ignores it, then writes it.
	git("rm", "-q", "--cached", ".env")
	r = p.run("bootstrap", "--skip-doctor")
	if r.code != 0 {
		t.Fatalf("bootstrap: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	ignore, _ := os.ReadFile(filepath.Join(p.dir, ".gitignore"))
	got, _ := os.ReadFile(envPath)
	if !strings.Contains(string(ignore), "\n/.env\n") || !strings.Contains(string(got), "REDIS_URL=") || !strings.HasPrefix(string(got), tracked) {
		t.Fatalf(".gitignore %q\n.env %q", ignore, got)
	}
	git("check-ignore", "-q", ".env")
}

// What a user sees, from the binary: a mistyped command or flag gets the one meant (exit
// 2), and a YAML indentation error is reported on the line and column to fix (line 7,
// where go.yaml.in/yaml/v3 itself says line 6). None of them reaches the engine.
func TestErrorsTeachFromTheBinary(t *testing.T) {
	dir := writeProject(t, "project: myrepo\nservices:\n  redis: {}\n  postgres:\n    image: \"postgres:16\"\n  minio: {}\n bad: 1\n")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"stauts"}, []string{`error: unknown command "stauts": did you mean "status"?`, "fix: devstack status"}},
		{[]string{"stop"}, []string{`did you mean "down"?`, "fix: devstack down"}},
		{[]string{"up", "--offest", "5"}, []string{"devstack up has no flag --offest: did you mean --offset?", "fix: use --offset"}},
		{[]string{"env"}, []string{"devstack.yaml:7:2: not valid YAML: did not find expected key", "fix: "}},
	}
	for _, tt := range tests {
		r := invocation{dir: dir}.run(t, tt.args...)
		for _, w := range tt.want {
			if r.code != 2 || !strings.Contains(r.stderr, w) {
				t.Errorf("devstack %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tt.args, " "), r.code, r.stderr, w)
			}
		}
	}
}
