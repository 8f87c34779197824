//go:build e2e

package main

// Framework-native settings on the real engine: each stack comes up from its preset, and
// a Python script reads what devstack printed the way the framework's own loader does
// (testdata/frameworks/check.py; for Invenio a copy of invenio-config's environment
// loader) and connects with the framework's own client libraries: SQLAlchemy+psycopg2,
// redis-py, kombu, boto3, PyMySQL. The OpenSearch image here is a stand-in answering the
// REST calls a stack makes: the search check is a plain HTTP request, not opensearch-py.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// frameworkPython is the Python with the frameworks' client libraries: Debian's, where
// .ci/run installs python3-sqlalchemy, -psycopg2, -redis, -kombu, -boto3, -pymysql and
// -dotenv. Missing, it fails under DEVSTACK_E2E=required and skips visibly otherwise.
func frameworkPython(t *testing.T) string {
	t.Helper()
	const probe = "import sqlalchemy, psycopg2, redis, kombu, boto3, pymysql, dotenv"
	for _, py := range []string{os.Getenv("DEVSTACK_PYTHON"), "/usr/bin/python3", "python3"} {
		if py != "" && exec.Command(py, "-c", probe).Run() == nil {
			return py
		}
	}
	msg := "no python3 with the frameworks' clients (apt-get install python3-sqlalchemy python3-psycopg2 " +
		"python3-redis python3-kombu python3-boto3 python3-pymysql python3-dotenv)"
	if os.Getenv("DEVSTACK_E2E") == "required" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// runCheck runs check.py MODE FILE in a clean environment (no AWS_*, PG*, REDIS_* of the
// machine's: only what devstack printed reaches the clients), and returns its exit code
// and output.
func runCheck(t *testing.T, py, mode, file string) (int, string) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "frameworks", "check.py"))
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	cmd := exec.Command(py, script, mode, file)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none")}
	out, err := cmd.CombinedOutput()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), string(out)
		}
		t.Fatalf("run %s: %v", script, err)
	}
	return 0, string(out)
}

// envFile writes what devstack env prints (dotenv) where an application reads it.
func (p *stackProject) envFile(args ...string) string {
	p.t.Helper()
	r := p.run(append([]string{"env"}, args...)...)
	if r.code != 0 {
		p.t.Fatalf("env %v: exit %d\n%s", args, r.code, r.stderr)
	}
	path := filepath.Join(p.dir, "settings.out")
	if err := os.WriteFile(path, []byte(r.stdout), 0o600); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// The Invenio preset, with Celery's names beside Invenio's: read as invenio-config reads
// INVENIO_* (each value a Python literal), they connect; a wrong one does not. MinIO's
// user is made of digits, which invenio-config would read as an int were it printed bare.
func TestFrameworkInvenioSettingsConnect(t *testing.T) {
	py := frameworkPython(t)
	p := initPreset(t, "invenio")
	path := filepath.Join(p.dir, "devstack.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?m)^frameworks: \[invenio\]`).ReplaceAllString(string(data), "frameworks: [invenio, celery]")
	text = strings.Replace(text, "\n  minio: {}\n", "\n  minio: {env: {MINIO_ROOT_PASSWORD: \"2026120512345678\"}}\n", 1)
	if !strings.Contains(text, "[invenio, celery]") || !strings.Contains(text, "2026120512345678") {
		t.Fatalf("init --preset invenio wrote no frameworks: [invenio] or no minio: {}:\n%s", data)
	}
	mustWrite(t, path, text)
	p.up()
	env := p.envFile()
	code, out := runCheck(t, py, "invenio", env)
	if code != 0 {
		t.Fatalf("Invenio's settings (OpenSearch is a stand-in) exit %d:\n%s", code, out)
	}
	t.Logf("invenio: %s", out)
	if code, out := runCheck(t, py, "celery", env); code != 0 {
		t.Fatalf("Celery's settings on RabbitMQ: exit %d:\n%s", code, out)
	}

	// The check can fail: a database URI with another password is refused by PostgreSQL.
	dotenv, _ := os.ReadFile(env)
	broken := regexp.MustCompile(`(INVENIO_SQLALCHEMY_DATABASE_URI=.*postgresql\+psycopg2://devstack:)[^@]+@`).ReplaceAllString(string(dotenv), "${1}wrong@")
	if broken == string(dotenv) {
		t.Fatalf("no INVENIO_SQLALCHEMY_DATABASE_URI to break in:\n%s", dotenv)
	}
	mustWrite(t, env, broken)
	if code, out := runCheck(t, py, "invenio", env); code == 0 || !strings.Contains(out, "password authentication failed") {
		t.Fatalf("a wrong password connected: exit %d\n%s", code, out)
	}
}

// The Frappe preset: env --format frappe is what bench reads from
// common_site_config.json; MariaDB answers Frappe's driver as root, Redis redis-py.
func TestFrameworkFrappeSiteConfigConnects(t *testing.T) {
	py := frameworkPython(t)
	p := initPreset(t, "frappe")
	p.up()
	conf := p.envFile("--format", "frappe")
	code, out := runCheck(t, py, "frappe", conf)
	if code != 0 {
		t.Fatalf("Frappe's common_site_config keys: exit %d:\n%s", code, out)
	}
	t.Logf("frappe: %s", out)
}

// Celery with Redis alone: Redis is the broker too, in a database of its own.
func TestFrameworkCeleryOnRedisAlone(t *testing.T) {
	py := frameworkPython(t)
	p := newStackProject(t, "frameworks: [celery]\nservices:\n  redis:\n")
	p.up()
	env := p.envFile()
	if code, out := runCheck(t, py, "celery", env); code != 0 || !strings.Contains(out, `"broker": "redis"`) {
		t.Fatalf("Celery on Redis alone: exit %d:\n%s", code, out)
	}
}
