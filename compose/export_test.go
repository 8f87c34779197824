package compose

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
)

// roundTripYAML is a stack with built-ins (one changed) and a custom service with every
// key a container has: ports, a generated credential, a literal $, a volume, a command,
// a dependency and an exec probe.
const roundTripYAML = `project: shop
services:
  postgres: {image: "postgres:16", env: {POSTGRES_DB: shop}}
  redis: {}
  rabbitmq: {}
  opensearch: {}
  minio: {}
  api:
    image: nginx:1.27.2
    ports:
      - {name: http, container: 80, host: 8480}
      - {name: admin, container: 8081}
    env: {API_TOKEN: "${secret:API_TOKEN}", GREETING: "costs $5"}
    volume: /srv/data
    command: ["nginx", "-g", "daemon off;"]
    depends_on: [postgres, redis]
    probe:
      exec: ["sh", "-c", "wget -q -O- http://localhost/ >/dev/null"]
`

func loadYAML(t *testing.T, dir, text string) *config.Config {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Dir: dir, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return cfg
}

// resolved is what a plan runs, service by service, with each generated credential shown
// as <secret> (import names a custom service's credential after the service and variable).
func resolved(t *testing.T, cfg *config.Config) map[string]string {
	t.Helper()
	p, err := plan.New(cfg, markedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	norm := func(s string) string { return secretMarkRE.ReplaceAllString(s, "<secret>") }
	for _, u := range p.Units {
		s := u.Spec
		env := map[string]string{}
		for k, v := range s.Env {
			env[k] = norm(v)
		}
		cmd := make([]string, len(s.Cmd))
		for i, c := range s.Cmd {
			cmd[i] = norm(c)
		}
		probe, err := json.Marshal(u.Probe) // every field, not the summary String gives
		if err != nil {
			t.Fatal(err)
		}
		out[u.Name()] = fmt.Sprintf("image=%s env=%v cmd=%q ports=%v mount=%s ulimits=%v probe=%s depends=%v timeout=%s",
			s.Image, env, cmd, s.Ports, s.Mount, s.Ulimits, probe, u.DependsOn, u.Timeout)
	}
	return out
}

// import(export(plan)) resolves to an equal plan: not equal YAML, the same containers.
func TestExportRoundTrips(t *testing.T) {
	orig := loadYAML(t, t.TempDir(), roundTripYAML)
	exp, err := Export(context.Background(), orig, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(exp.YAML)
	for _, want := range []string{"host_ip: 127.0.0.1", "published: \"8480\"", "API_TOKEN: ${API_TOKEN}", "GREETING: costs $$5",
		"POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}", "--requirepass", "${REDIS_PASSWORD}", "api-data:/srv/data", "memlock"} {
		if !strings.Contains(text, want) {
			t.Errorf("the compose file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, secretMark) {
		t.Fatalf("a secret marker leaked:\n%s", text)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), exp.YAML, 0o644); err != nil {
		t.Fatal(err)
	}
	imp, err := Import(context.Background(), dir, "compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	back := loadYAML(t, t.TempDir(), string(imp.YAML))
	want, got := resolved(t, orig), resolved(t, back)
	if len(want) != 6 || !strings.Contains(want["api"], "ports=[{ 127.0.0.1 8480 80}") || !strings.Contains(want["api"], "API_TOKEN:<secret>") {
		t.Fatalf("the plan compared is not the stack: %v", want)
	}
	if !reflect.DeepEqual(want, got) {
		for name := range want {
			if want[name] != got[name] {
				t.Errorf("%s:\n  plan:      %s\n  round trip: %s", name, want[name], got[name])
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s: only in the round trip", name)
			}
		}
		t.Logf("compose:\n%s\nimported:\n%s", exp.YAML, imp.YAML)
	}
}

// A probe with no compose equivalent is reported, and the file still validates.
func TestExportReportsAProbeWithoutEquivalent(t *testing.T) {
	cfg := loadYAML(t, t.TempDir(), "services:\n  web:\n    image: nginx:1.27.2\n    ports: [{name: http, container: 80}]\n    probe: {http: {path: /}}\n")
	exp, err := Export(context.Background(), cfg, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(&Result{Notes: exp.Notes}, noteKey{"web", "probe", NotCarried}) || strings.Contains(exp.Compose, "healthcheck") {
		t.Errorf("notes %+v\n%s", exp.Notes, exp.Compose)
	}
}

// The validation export relies on refuses what the compose specification refuses.
func TestExportValidationCanFail(t *testing.T) {
	for _, bad := range []string{
		"services:\n  a:\n    image: nginx:1\n    ports: [{target: eighty}]\n",
		"services:\n  a:\n    image: nginx:1\n    unknown_key: 1\n",
	} {
		if err := validate(context.Background(), t.TempDir(), []byte(bad)); err == nil {
			t.Errorf("validate accepted:\n%s", bad)
		}
	}
}
