//go:build kube

package kubee2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Invenio preset on the cluster (OpenSearch is the stand-in image): up waits on each
// service's own protocol, and with devstack forward running, Invenio's and Celery's
// official clients (SQLAlchemy+psycopg2, redis-py, kombu, boto3; the same check.py as the
// Docker suite's) connect with nothing but the .env devstack env wrote. logs reads a
// service's log from its pod.
func TestKubeInvenioPresetClientsConnect(t *testing.T) {
	needCluster(t)
	py := pythonWithClients(t)
	p := newProject(t, "")
	os.Remove(filepath.Join(p.dir, "devstack.yaml"))
	p.must("init", "--preset", "invenio")
	path := filepath.Join(p.dir, "devstack.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?m)^frameworks: \[invenio\]`).ReplaceAllString(string(data), "frameworks: [invenio, celery]")
	text = regexp.MustCompile(`(?m)^offset: 0$`).ReplaceAllString(text, "offset: 7300")
	text = strings.Replace(text, "\n  minio: {}\n", "\n  minio: {env: {MINIO_ROOT_PASSWORD: \"2026120512345678\"}}\n", 1)
	if !strings.Contains(text, "[invenio, celery]") || !strings.Contains(text, "offset: 7300") {
		t.Fatalf("init --preset invenio wrote another file than expected:\n%s", data)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	up := p.must("up", "--engine", "kubernetes", "-o", "json")
	ns := namespaceOf(t, up.stderr)
	t.Cleanup(func() {
		p.run("down", "--engine", "kubernetes", "--volumes")
		_, _ = kubectl(t, "delete", "namespace", ns, "--wait=false")
	})
	var rep upReport
	decode(t, up.stdout, &rep)
	if !rep.OK || len(rep.Services) != 5 {
		t.Fatalf("up of the Invenio preset: %s", up.stdout)
	}
	t.Logf("up of the Invenio preset took %s", up.took)

	stop := startForwardOf(t, p, "--engine=kubernetes", []string{"redis", "postgres", "rabbitmq", "opensearch", "minio"})
	defer stop()
	env := p.must("env", "--engine", "kubernetes")
	file := filepath.Join(p.dir, "settings.out")
	if err := os.WriteFile(file, []byte(env.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"invenio", "celery"} {
		if code, out := runCheck(t, py, mode, file); code != 0 {
			t.Fatalf("%s's clients with devstack env's settings: exit %d\n%s", mode, code, out)
		} else {
			t.Logf("%s: %s", mode, strings.TrimSpace(out))
		}
	}
	logs := p.must("logs", "--engine", "kubernetes", "--tail", "50", "postgres")
	if !strings.Contains(logs.stdout, "database system is ready to accept connections") {
		t.Fatalf("logs postgres:\n%s\n%s", logs.stdout, logs.stderr)
	}
}

// pythonWithClients is a python3 with the frameworks' client libraries (.ci/run installs
// them for the Docker suite too).
func pythonWithClients(t *testing.T) string {
	t.Helper()
	const probe = "import sqlalchemy, psycopg2, redis, kombu, boto3, dotenv"
	for _, py := range []string{os.Getenv("DEVSTACK_PYTHON"), "/usr/bin/python3"} {
		if py != "" && exec.Command(py, "-c", probe).Run() == nil {
			return py
		}
	}
	needCluster(t) // the same rule: fail where required, skip visibly elsewhere
	t.Skip("SKIPPED: no python3 with sqlalchemy, psycopg2, redis, kombu, boto3, dotenv")
	return ""
}

// runCheck runs the Docker suite's check.py in a clean environment: only what devstack
// printed reaches the clients.
func runCheck(t *testing.T, py, mode, file string) (int, string) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("..", "..", "cmd", "devstack", "testdata", "frameworks", "check.py"))
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	cmd := exec.Command(py, script, mode, file)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none")}
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}
