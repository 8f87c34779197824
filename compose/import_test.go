package compose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyCorpus copies a testdata directory into a project of its own, .env included.
func copyCorpus(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("testdata", name)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type noteKey struct{ service, key, kind string }

func hasNote(r *Result, want noteKey) bool {
	return slices.ContainsFunc(r.Notes, func(n Note) bool {
		return n.Service == want.service && n.Key == want.key && n.Kind == want.kind
	})
}

// The three corpus shapes: what becomes a built-in, what a custom service, what is
// reported, and that no credential of the file (or of the caller's environment) is
// written. FromLoaded itself refuses a devstack.yaml config.Load rejects.
func TestImportCorpus(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "caller-aws-secret")
	t.Setenv("POSTGRES_PASSWORD", "caller-pg-password")
	tests := []struct {
		dir, file string
		services  map[string]string // compose name -> devstack name
		notes     []noteKey
		yaml      []string // lines the devstack.yaml holds
		never     []string // values it must not hold
	}{
		{
			dir: "invenio", file: "docker-services.yml",
			services: map[string]string{"cache": "redis", "db": "postgres", "mq": "rabbitmq", "search": "opensearch",
				"s3": "minio", "pgadmin": "pgadmin", "opensearch-dashboards": "opensearch-dashboards"},
			notes: []noteKey{
				{"app", "build", NotCarried}, {"frontend", "build", NotCarried},
				{"db", "environment.POSTGRES_PASSWORD", Secret}, {"s3", "environment.MINIO_ROOT_PASSWORD", Secret},
				{"pgadmin", "environment.PGADMIN_DEFAULT_PASSWORD", Secret},
				{"s3", "image", Moved}, {"", "AWS_SECRET_ACCESS_KEY", Unset},
				{"search", "ulimits", NotCarried}, {"search", "mem_limit", NotCarried},
				{"pgadmin", "volumes", NotCarried}, {"opensearch-dashboards", "environment.OPENSEARCH_HOSTS", NotCarried},
			},
			yaml: []string{"image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z", "POSTGRES_USER: mysite",
				"POSTGRES_DB: mysite", "image: postgres:14.13", "bind: 127.0.0.1", "redis: {}"},
			never: []string{"very-secret-pg", "very-secret-minio", "caller-aws-secret", "caller-pg-password", "CHANGE_ME", "search:9200", "0.0.0.0"},
		},
		{
			dir: "invenio", file: "docker-compose.full.yml",
			services: map[string]string{"cache": "redis", "db": "postgres", "mq": "rabbitmq"},
			notes:    []noteKey{{"web-api", "build", NotCarried}, {"worker", "build", NotCarried}, {"db", "environment.POSTGRES_PASSWORD", Secret}},
			yaml:     []string{"POSTGRES_USER: mysite"},
			never:    []string{"very-secret-pg", "caller-aws-secret"},
		},
		{
			dir: "frappe", file: "pwd.yml",
			services: map[string]string{"db": "mariadb", "redis-cache": "redis", "redis-queue": "redis-queue"},
			notes: []noteKey{
				{"db", "environment.MARIADB_ROOT_PASSWORD", Secret}, {"db", "environment.MYSQL_ROOT_PASSWORD", NotCarried},
				{"db", "command", NotCarried}, {"configurator", "entrypoint", NotCarried},
				{"backend", "healthcheck", NotCarried}, {"backend", "platform", NotCarried},
			},
			yaml:  []string{"image: mariadb:10.6", "redis: {port: port-6379}", "volume: /data", "REDIS_QUEUE_URL: redis://{host}:{port:port-6379}/0"},
			never: []string{"admin"},
		},
		{
			dir: "monitoring", file: "docker-compose.yml",
			services: map[string]string{"prometheus": "prometheus", "grafana": "grafana", "influxdb": "influxdb",
				"cadvisor": "cadvisor", "node-exporter": "node-exporter"},
			notes: []noteKey{
				{"cadvisor", "privileged", NotCarried}, {"cadvisor", "devices", NotCarried}, {"cadvisor", "volumes", NotCarried},
				{"node-exporter", "network_mode", NotCarried}, {"node-exporter", "pid", NotCarried}, {"node-exporter", "cap_add", NotCarried},
				{"influxdb", "environment.INFLUXDB_ADMIN_PASSWORD", Secret}, {"grafana", "environment.GF_SECURITY_ADMIN_PASSWORD", Secret},
				{"", "GRAFANA_PASSWORD", Unset},
			},
			yaml:  []string{"INFLUXDB_DB: metrics", "exec: [wget, --quiet, --tries=1, --spider, 'http://localhost:8080/healthz']", "exec: [sh, -c, 'wget -q -O- http://localhost:9100/metrics | head -1']"},
			never: []string{"supersecret", "privileged", "docker.sock", "network_mode", "SYS_TIME", "rslave"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.file, func(t *testing.T) {
			dir := copyCorpus(t, tt.dir)
			r, err := Import(context.Background(), dir, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, m := range r.Services {
				got[m.Compose] = m.Devstack
			}
			if len(got) != len(tt.services) {
				t.Errorf("services = %v, want %v", got, tt.services)
			}
			for c, d := range tt.services {
				if got[c] != d {
					t.Errorf("%s became %q, want %q", c, got[c], d)
				}
			}
			for _, n := range tt.notes {
				if !hasNote(r, n) {
					t.Errorf("no note %+v in %+v", n, r.Notes)
				}
			}
			text := string(r.YAML)
			for _, line := range tt.yaml {
				if !strings.Contains(text, line) {
					t.Errorf("devstack.yaml lacks %q:\n%s", line, text)
				}
			}
			for _, s := range tt.never {
				if strings.Contains(text, s) {
					t.Errorf("devstack.yaml holds %q:\n%s", s, text)
				}
			}
			if err := tryLoad(r.YAML); err != nil {
				t.Errorf("the devstack.yaml does not load: %v", err)
			}
		})
	}
}

// A compose file is untrusted: every hostile value is refused (exit 2, nothing written)
// or reported and left out; what is written always loads and never holds the value.
func TestImportHostile(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "caller-aws-secret")
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "base.yml"), []byte("services:\n  x:\n    image: alpine:3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "creds.env"), []byte("TOKEN=outside-secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const hc = "    healthcheck: {test: [CMD, /bin/true]}\n"
	tests := []struct {
		name    string
		compose string
		link    [2]string // a symlink to create in the project: name, target
		refuse  bool      // ErrInput
		note    noteKey   // else this note
		never   string    // and the devstack.yaml does not hold this
	}{
		{name: "extends a file outside", compose: "services:\n  a:\n    extends: {file: " + filepath.Join(outside, "base.yml") + ", service: x}\n", refuse: true},
		{name: "extends through ..", compose: "services:\n  a:\n    extends: {file: ../" + filepath.Base(outside) + "/base.yml, service: x}\n", refuse: true},
		{name: "env_file outside", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    env_file: " + filepath.Join(outside, "creds.env") + "\n", refuse: true},
		{name: "env_file through a link", link: [2]string{"creds.env", filepath.Join(outside, "creds.env")},
			compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    env_file: creds.env\n", refuse: true},
		{name: "include outside", compose: "include:\n  - " + filepath.Join(outside, "base.yml") + "\nservices: {}\n", refuse: true},
		{name: "path from a variable", compose: "services:\n  a:\n    image: alpine:3\n    env_file: ${HOME}/.aws/credentials\n", refuse: true},
		{name: "option-like image", compose: "services:\n  a:\n    image: \"--privileged\"\n" + hc,
			note: noteKey{"a", "image", Refused}, never: "--privileged"},
		{name: "mount options in a volume target", compose: "services:\n  a:\n    image: alpine:3\n" + hc +
			"    volumes:\n      - type: volume\n        source: d\n        target: \"/data,volume-opt=o=bind\"\nvolumes: {d: {}}\n",
			note: noteKey{"a", "volumes", NotCarried}, never: "volume-opt"},
		{name: "bad env key", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    environment:\n      \"9BAD\": x\n",
			note: noteKey{"a", "environment.9BAD", Refused}, never: "9BAD"},
		{name: "a devstack secret reference", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    environment:\n      STEAL: $${secret:POSTGRES_PASSWORD}\n",
			note: noteKey{"a", "environment.STEAL", Refused}, never: "STEAL"},
		{name: "caller's environment", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    environment:\n      S3_ID: ${AWS_SECRET_ACCESS_KEY}\n",
			note: noteKey{"", "AWS_SECRET_ACCESS_KEY", Unset}, never: "caller-aws-secret"},
		{name: "literal password", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    environment:\n      API_TOKEN: hunter2-literal\n",
			note: noteKey{"a", "environment.API_TOKEN", Secret}, never: "hunter2-literal"},
		{name: "a password in a URL", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    environment:\n      DB_URL: postgresql://app:pw-in-url@db/app\n",
			note: noteKey{"a", "environment.DB_URL", Secret}, never: "pw-in-url"},
		{name: "privileged and host network", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    privileged: true\n    network_mode: host\n",
			note: noteKey{"a", "privileged", NotCarried}, never: "privileged"},
		{name: "a non-root user", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    user: \"1000:1000\"\n",
			note: noteKey{"a", "user", NotCarried}, never: "alpine"},
		{name: "a read-only root", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    read_only: true\n",
			note: noteKey{"a", "read_only", NotCarried}, never: "alpine"},
		{name: "no-new-privileges", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    security_opt: [\"no-new-privileges:true\"]\n",
			note: noteKey{"a", "security_opt", NotCarried}, never: "alpine"},
		{name: "engine socket", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n",
			note: noteKey{"a", "volumes", NotCarried}, never: "docker.sock"},
		{name: "udp port", compose: "services:\n  a:\n    image: alpine:3\n" + hc + "    ports: [\"53:53/udp\"]\n",
			note: noteKey{"a", "ports", NotCarried}, never: "53"},
		{name: "a name devstack cannot use", compose: "services:\n  9x:\n    image: alpine:3\n" + hc,
			note: noteKey{"9x", "", NotCarried}, never: "alpine"},
		{name: "a probe devstack's templates refuse", compose: "services:\n  a:\n    image: alpine:3\n    healthcheck: {test: [CMD, echo, \"{secret:bad name}\"]}\n",
			note: noteKey{"a", "healthcheck", Refused}, never: "bad name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.link[0] != "" {
				if err := os.Symlink(tt.link[1], filepath.Join(dir, tt.link[0])); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "compose.yml"), []byte(tt.compose), 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := Import(context.Background(), dir, "compose.yml")
			if tt.refuse {
				if !errors.Is(err, ErrInput) {
					t.Fatalf("want a refusal (ErrInput), got %v", err)
				}
				if strings.Contains(err.Error(), "outside-secret") {
					t.Errorf("the error carries a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !hasNote(r, tt.note) {
				t.Errorf("no note %+v in %+v", tt.note, r.Notes)
			}
			if strings.Contains(string(r.YAML), tt.never) {
				t.Errorf("devstack.yaml holds %q:\n%s", tt.never, r.YAML)
			}
			if err := tryLoad(r.YAML); err != nil {
				t.Errorf("the devstack.yaml does not load: %v", err)
			}
			for _, n := range r.Notes {
				if strings.Contains(n.Message, "caller-aws-secret") || strings.Contains(n.Message, "hunter2") {
					t.Errorf("a note carries a secret: %+v", n)
				}
			}
		})
	}
}

// env_file inside the project is read as Compose reads it: its user is kept, its
// password replaced by a generated one; include brings in a file's services.
func TestImportReadsEnvFileAndInclude(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"compose.yml": "include:\n  - sub/db.yml\nservices:\n  web:\n    image: nginx:1.27.2\n    healthcheck: {test: [CMD, \"true\"]}\n    depends_on: {db: {condition: service_healthy}}\n",
		"sub/db.yml":  "services:\n  db:\n    image: postgres:16.4\n    env_file: db.env\n",
		"sub/db.env":  "POSTGRES_USER=app\nPOSTGRES_PASSWORD=from-env-file\n",
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Import(context.Background(), dir, "compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(r.YAML)
	for _, want := range []string{"POSTGRES_USER: app", "depends_on: [postgres]", "image: postgres:16.4"} {
		if !strings.Contains(text, want) {
			t.Errorf("devstack.yaml lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "from-env-file") || !hasNote(r, noteKey{"db", "environment.POSTGRES_PASSWORD", Secret}) {
		t.Errorf("the env_file's password was copied or not reported:\n%s\n%+v", text, r.Notes)
	}
}
