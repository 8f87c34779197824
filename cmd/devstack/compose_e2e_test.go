//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/devstack-dev/devstack/config"
)

// importCompose copies a compose corpus (compose/testdata/NAME) into a fresh project,
// runs init --from-compose FILE there with a secret in the caller's environment, moves
// the written devstack.yaml to a free offset, and takes the stack down at the end.
func importCompose(t *testing.T, corpus, file string) (*stackProject, map[string]any) {
	t.Helper()
	requireEngine(t)
	dir := filepath.Join(t.TempDir(), corpus)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join("..", "..", "compose", "testdata", corpus)
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
	p := &stackProject{t: t, dir: dir, name: config.ProjectName(corpus)}
	inv := invocation{dir: dir, extraEnv: []string{"AWS_SECRET_ACCESS_KEY=caller-aws-secret-e2e"}}
	r := inv.run(t, "init", "--from-compose", file, "-o", "json")
	if r.code != 0 {
		t.Fatalf("init --from-compose %s: exit %d\n%s%s", file, r.code, r.stdout, r.stderr)
	}
	var report map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("init -o json: %v\n%s", err, r.stdout)
	}
	path := filepath.Join(dir, config.FileName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "caller-aws-secret-e2e") || strings.Contains(r.stdout+r.stderr, "caller-aws-secret-e2e") {
		t.Fatalf("the caller's AWS_SECRET_ACCESS_KEY reached the import:\n%s", data)
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
	return p, report
}

// Each corpus shape imported, the services with a local image brought up, and the
// official clients connected with nothing but what devstack env prints. The images are
// the offline ones CI loads (DEVSTACK_IMAGE_*): OpenSearch and Grafana are stand-ins
// (serviceWork says so); the application services (build contexts, frappe/erpnext,
// cadvisor, node-exporter) have no image here and are checked by the import alone
// (compose/import_test.go).
func TestImportedComposeStacksConnect(t *testing.T) {
	t.Setenv("DEVSTACK_IMAGE_REDIS_QUEUE", offlineImage(t, "DEVSTACK_IMAGE_REDIS"))
	tests := []struct {
		corpus, file string
		up           []string
		custom       map[string]func(t *testing.T, ctx context.Context, env map[string]string)
		env          map[string]string // settings whose value the file chose
	}{
		{corpus: "invenio", file: "docker-services.yml", up: []string{"redis", "postgres", "rabbitmq", "opensearch", "minio"},
			env: map[string]string{"POSTGRES_USER": "mysite", "POSTGRES_DB": "mysite"}},
		{corpus: "frappe", file: "pwd.yml", up: []string{"mariadb", "redis", "redis-queue"},
			custom: map[string]func(t *testing.T, ctx context.Context, env map[string]string){
				"redis-queue": func(t *testing.T, ctx context.Context, env map[string]string) {
					opt, err := redis.ParseURL(env["REDIS_QUEUE_URL"])
					if err != nil {
						t.Fatalf("REDIS_QUEUE_URL: %v", err)
					}
					rdb := redis.NewClient(opt)
					defer rdb.Close()
					if err := rdb.Set(ctx, "q", "kept", 0).Err(); err != nil {
						t.Fatal(err)
					}
					if v, err := rdb.Get(ctx, "q").Result(); err != nil || v != "kept" {
						t.Fatalf("redis-queue GET %q %v", v, err)
					}
				},
			}},
		{corpus: "monitoring", file: "docker-compose.yml", up: []string{"prometheus", "grafana", "influxdb"}},
	}
	for _, tt := range tests {
		t.Run(tt.corpus, func(t *testing.T) {
			p, _ := importCompose(t, tt.corpus, tt.file)
			u := p.up(tt.up...)
			if len(u.Services) != len(tt.up) {
				t.Fatalf("up brought up %d services, want %v: %+v", len(u.Services), tt.up, u.Services)
			}
			noWildcardListeners(t, u)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			env := p.env()
			for _, s := range u.Services {
				if !s.Ready {
					t.Fatalf("%s not ready: %+v", s.Name, s)
				}
				w, ok := tt.custom[s.Name]
				if !ok {
					w, ok = serviceWork[s.Name]
				}
				if !ok {
					t.Fatalf("no real work written for %s", s.Name)
				}
				t.Run(s.Name, func(t *testing.T) { w(t, ctx, env) })
			}
			if tt.corpus == "invenio" {
				if !strings.Contains(env["DATABASE_URL"], "://mysite:") || !strings.HasSuffix(env["DATABASE_URL"], "/mysite") {
					t.Errorf("the file's user and database were not kept: DATABASE_URL is not mysite's")
				}
				if strings.Contains(env["DATABASE_URL"], "very-secret-pg") || strings.Contains(env["S3_SECRET_ACCESS_KEY"], "very-secret-minio") {
					t.Errorf("a password of the file was copied instead of generated")
				}
			}
		})
	}
}

// A compose file that names a file outside the project is refused, exit 2, and nothing
// is written.
func TestImportRefusesAFileOutsideTheProject(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "base.yml"), []byte("services:\n  x:\n    image: alpine:3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	compose := "services:\n  a:\n    extends: {file: " + filepath.Join(outside, "base.yml") + ", service: x}\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	r := invocation{dir: dir}.run(t, "init", "--from-compose", "compose.yml")
	if r.code != 2 || !strings.Contains(r.stderr, "outside the project") {
		t.Fatalf("init --from-compose: exit %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, config.FileName)); !os.IsNotExist(err) {
		t.Fatalf("a devstack.yaml was written: %v", err)
	}
}

// export compose from a project, import the file into a second checkout, and bring that
// up: the official clients connect with only the second project's devstack env.
func TestExportedComposeImportsAndRuns(t *testing.T) {
	first := newStackProject(t, "services:\n  redis:\n  postgres: {env: {POSTGRES_DB: shop}}\n")
	// The export names the images the project plans: the built-ins' own, not the
	// offline stand-ins CI sets with DEVSTACK_IMAGE_* (which the second project's up
	// applies again, as any project's).
	var clean []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DEVSTACK_IMAGE_") {
			clean = append(clean, kv)
		}
	}
	r := invocation{dir: first.dir, env: clean}.run(t, "export", "compose", "--file", "compose.devstack.yaml")
	if r.code != 0 {
		t.Fatalf("export compose: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(first.dir, "compose.devstack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "second")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	second := &stackProject{t: t, dir: dir}
	if r := second.run("init", "--from-compose", "compose.yaml"); r.code != 0 {
		t.Fatalf("init --from-compose: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	path := filepath.Join(dir, config.FileName)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	services := string(text[strings.Index(string(text), "\nservices:\n")+1:])
	moved := regexp.MustCompile(`(?m)^offset: 0$`).ReplaceAllString(string(text), fmt.Sprintf("offset: %d", freeOffset(t, services)))
	if err := os.WriteFile(path, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if r := second.run("down", "--volumes"); r.code != 0 {
			t.Errorf("cleanup: down --volumes exited %d: %s", r.code, r.stderr)
		}
	})
	u := second.up()
	if len(u.Services) != 2 {
		t.Fatalf("the imported export runs %d services: %+v", len(u.Services), u.Services)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env := second.env()
	if !strings.HasSuffix(env["DATABASE_URL"], "/shop") {
		t.Errorf("the database did not come back: DATABASE_URL ends %q", env["DATABASE_URL"][strings.LastIndex(env["DATABASE_URL"], "/"):])
	}
	for _, name := range []string{"redis", "postgres"} {
		t.Run(name, func(t *testing.T) { serviceWork[name](t, ctx, env) })
	}
}
