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
