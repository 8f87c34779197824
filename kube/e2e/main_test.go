//go:build kube

// Package kubee2e is devstack's end-to-end suite on a real Kubernetes cluster (make
// test-kube): it runs the built binary with --engine kubernetes against the cluster
// KUBECONFIG names (../shared/tools/k8s-cluster.sh start; eval "$(… env)"), with the
// devstack-offline images loaded into it. Run it under flock /tmp/devstack-k8s.lock.
package kubee2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/internal/testenv"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "devstack-kube-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "devstack")
	build := exec.Command("go", "build", "-o", binary, "../../cmd/devstack")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build devstack:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needCluster fails (CI) or skips (a developer's machine) without a cluster to use.
func needCluster(t *testing.T) {
	t.Helper()
	if os.Getenv("KUBECONFIG") == "" {
		testenv.Missing(t, "no KUBECONFIG: start the test cluster (../shared/tools/k8s-cluster.sh start; eval \"$(../shared/tools/k8s-cluster.sh env)\")")
	}
	if _, err := exec.LookPath("kubectl"); err != nil {
		testenv.Missing(t, "no kubectl on PATH (eval \"$(../shared/tools/k8s-cluster.sh env)\" puts the cluster's first)")
	}
	if os.Getenv("DEVSTACK_IMAGE_REDIS") == "" {
		testenv.Missing(t, "no DEVSTACK_IMAGE_* (set -a; . ~/.cache/devstack-offline/offline-images.env): the cluster has no registry access")
	}
}

type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// project is a throwaway checkout with a devstack.yaml.
type project struct {
	t   *testing.T
	dir string
	env []string
}

func newProject(t *testing.T, yaml string) *project {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	return &project{t: t, dir: dir, env: append(os.Environ(), "NO_COLOR=1")}
}

func (p *project) run(args ...string) result {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir, cmd.Env = p.dir, p.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		p.t.Fatalf("run devstack %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// must runs devstack and fails the test unless it exits 0.
func (p *project) must(args ...string) result {
	p.t.Helper()
	r := p.run(args...)
	if r.code != 0 {
		p.t.Fatalf("devstack %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func kubectl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("kubectl", args...).CombinedOutput()
	return string(out), err
}

func mustKubectl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := kubectl(t, args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
}

// namespaceOf reads the namespace devstack printed before it acted.
func namespaceOf(t *testing.T, stderr string) string {
	t.Helper()
	i := strings.Index(stderr, "namespace ")
	if i < 0 {
		t.Fatalf("devstack did not say which namespace: %s", stderr)
	}
	rest := stderr[i+len("namespace "):]
	return strings.Fields(strings.NewReplacer(`"`, " ", "}", " ").Replace(rest))[0]
}
