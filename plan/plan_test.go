package plan

import (
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/services/engine"
)

// fixedSecrets is a Secrets that needs no disk.
type fixedSecrets struct{}

func (fixedSecrets) Get(key string) string { return "secret-" + strings.ToLower(key) }
func (fixedSecrets) Save() error           { return nil }

func TestUnitsFromConfig(t *testing.T) {
	cfg := configtest.Load(t, "project: my-app\nbind: 0.0.0.0\noffset: 100\nservices:\n  postgres: {env: {POSTGRES_DB: other}}\n  opensearch:\n")
	pl, err := New(cfg, fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	units := pl.Units
	pg := units[0]
	if pg.Spec.Name != "my-app-postgres" || pg.Spec.Volume != "my-app-postgres-data" || pg.Spec.Hostname != "postgres" ||
		pg.Spec.Env["POSTGRES_DB"] != "other" || pg.Spec.Env["POSTGRES_PASSWORD"] != "secret-postgres_password" {
		t.Fatalf("postgres spec %+v", pg.Spec)
	}
	if pg.Spec.Ports[0] != (engine.PortBinding{HostIP: "0.0.0.0", HostPort: 5732, ContainerPort: 5432}) || pg.Endpoint.Host != "127.0.0.1" {
		t.Fatalf("ports %+v endpoint %+v", pg.Spec.Ports, pg.Endpoint)
	}
	if search := units[1]; search.Spec.Env["discovery.type"] != "single-node" || len(search.Spec.Ulimits) != 2 || search.Timeout < time.Minute {
		t.Fatalf("opensearch %+v", search.Spec)
	}
	if _, err := pl.Select([]string{"redis"}); err == nil || !strings.Contains(err.Error(), `service "redis" is not planned`) {
		t.Fatalf("err = %v", err)
	}
	// A changed environment changes the hash; the same inputs keep it.
	again, _ := New(cfg, fixedSecrets{})
	if again.Units[0].Spec.Hash() != pg.Spec.Hash() {
		t.Fatal("hash not stable")
	}
	again.Units[0].Spec.Env["X"] = "1"
	if again.Units[0].Spec.Hash() == pg.Spec.Hash() {
		t.Fatal("hash ignores env")
	}
}

// connection: adds, renames and drops settings, for built-ins and custom services alike,
// and a custom service's ports take the offset like a built-in's.
func TestSettingsWithConnectionEdits(t *testing.T) {
	cfg := configtest.Load(t, `project: app
offset: 100
services:
  postgres:
    connection:
      INVENIO_SQLALCHEMY_DATABASE_URI: "{setting:DATABASE_URL}"
      DATABASE_URL: null
  cache:
    image: memcached:1.6
    ports: [{name: memcached, container: 11211, host: 11411}]
    env: {TOKEN: "${secret:CACHE_TOKEN}"}
    probe: {exec: ["true"]}
    connection:
      CACHE_URL: "memcached://{host}:{port:memcached}/{project}"
      CACHE_TOKEN: "{env:TOKEN}"
`)
	pl, err := New(cfg, fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := pl.Settings("", fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	values := map[string]string{}
	for _, s := range got {
		keys = append(keys, s.Key)
		values[s.Key] = s.Value
	}
	if strings.Join(keys, ",") != "INVENIO_SQLALCHEMY_DATABASE_URI,CACHE_URL,CACHE_TOKEN" {
		t.Fatalf("keys %v", keys)
	}
	want := map[string]string{
		"INVENIO_SQLALCHEMY_DATABASE_URI": "postgresql://devstack:secret-postgres_password@127.0.0.1:5732/app",
		"CACHE_URL":                       "memcached://127.0.0.1:11511/app",
		"CACHE_TOKEN":                     "secret-cache_token",
	}
	for k, v := range want {
		if values[k] != v {
			t.Errorf("%s = %q, want %q", k, values[k], v)
		}
	}
	cache, _ := pl.Unit("cache")
	if cache.Spec.Ports[0].HostPort != 11511 || cache.Spec.Env["TOKEN"] != "secret-cache_token" || cache.Spec.Volume != "" {
		t.Fatalf("cache spec %+v", cache.Spec)
	}
	// Reached from elsewhere (a remote engine's host), every template follows.
	remote, _ := pl.Settings("10.0.0.5", fixedSecrets{})
	if remote[1].Value != "memcached://10.0.0.5:11511/app" {
		t.Fatalf("remote %v", remote)
	}
}

func TestSettingReferenceToAMissingSettingFails(t *testing.T) {
	cfg := configtest.Load(t, "services:\n  redis:\n    connection:\n      CELERY_BROKER_URL: \"{setting:AMQP_URL}\"\n")
	pl, err := New(cfg, fixedSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = pl.Settings("", fixedSecrets{})
	if err == nil || !strings.Contains(err.Error(), "redis has no setting AMQP_URL") || !strings.Contains(err.Error(), "services.redis.connection.CELERY_BROKER_URL") {
		t.Fatalf("err = %v", err)
	}
}

// A user's env: that overrides a credential devstack generates is a warning at config
// time, naming the service and the keys; other keys, and the same value, are not.
func TestWarningWhenEnvOverridesACredential(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the one warning; none when empty
	}{
		{"password", "services:\n  postgres: {env: {POSTGRES_PASSWORD: mine}}\n", []string{"services.postgres.env", "POSTGRES_PASSWORD", "devstack down --volumes postgres"}},
		{"a credential beside a plain setting", "services:\n  rabbitmq: {env: {RABBITMQ_DEFAULT_PASS: mine, RABBITMQ_DEFAULT_USER: me}}\n", []string{"RABBITMQ_DEFAULT_PASS"}},
		{"not a credential", "services:\n  postgres: {env: {POSTGRES_DB: other}}\n", nil},
		{"devstack's own value", "services:\n  postgres: {env: {POSTGRES_PASSWORD: '${secret:POSTGRES_PASSWORD}'}}\n", nil},
		{"no env", "services:\n  postgres:\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, err := New(configtest.Load(t, "project: p\n"+tt.yaml), fixedSecrets{})
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.want) == 0 {
				if len(pl.Warnings) != 0 {
					t.Fatalf("warnings %q, want none", pl.Warnings)
				}
				return
			}
			if len(pl.Warnings) != 1 {
				t.Fatalf("warnings %q, want one", pl.Warnings)
			}
			for _, w := range tt.want {
				if !strings.Contains(pl.Warnings[0], w) {
					t.Errorf("warning %q lacks %q", pl.Warnings[0], w)
				}
			}
		})
	}
}
