package snapshot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/state"
)

type noSecrets struct{}

func (noSecrets) Get(k string) string { return "s-" + k }
func (noSecrets) Save() error         { return nil }

// The plan covers every built-in that keeps a volume, with its data directory, and
// nothing else. OpenSearch's stand-in image keeps its data in memory, so its data
// directory is covered here rather than by the end-to-end round trip.
func TestPlanCoversEveryStatefulService(t *testing.T) {
	cfg := configtest.Load(t, "project: p\nservices:\n  postgres:\n  redis:\n  mariadb:\n  rabbitmq:\n  influxdb:\n  mailpit:\n  minio:\n  mongodb:\n  prometheus:\n  opensearch:\n  memcached:\n  grafana:\n")
	pl, err := plan.New(cfg, noSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, it := range Plan(pl) {
		if it.Method != MethodStop || it.Volume != plan.VolumeName(pl.Identity.ID, it.Unit.Name()) {
			t.Errorf("%s: %+v", it.Unit.Name(), it)
		}
		got[it.Unit.Name()] = it.Mount
	}
	want := map[string]string{"redis": "/data", "mariadb": "/var/lib/mysql", "rabbitmq": "/var/lib/rabbitmq",
		"influxdb": "/var/lib/influxdb", "mailpit": "/data", "minio": "/data", "mongodb": "/data/db",
		"prometheus": "/prometheus", "opensearch": "/usr/share/opensearch/data"}
	for svc, mount := range want {
		if got[svc] != mount {
			t.Errorf("%s: plan copies %q, want its data directory %s", svc, got[svc], mount)
		}
	}
	if !strings.HasPrefix(got["postgres"], "/var/lib/postgresql") {
		t.Errorf("postgres: plan copies %q", got["postgres"])
	}
	if _, ok := got["memcached"]; ok {
		t.Error("memcached keeps nothing across a restart, yet the plan copies it")
	}
}

// A restored volume replaces the default one in the plan only when its name is this
// identity's default name with a suffix: a pointer edited to another project's volume
// is not followed.
func TestPlanFollowsTheRestorePointer(t *testing.T) {
	cfg := configtest.Load(t, "project: p\nservices:\n  redis:\n  minio:\n")
	def := plan.VolumeName(cfg.Identity.ID, "redis")
	if err := state.SaveDataSets(cfg.Root, &state.DataSets{Volumes: map[string]string{"redis": def + "-0a1b2c3d", "minio": "other-project-minio-data"}}); err != nil {
		t.Fatal(err)
	}
	pl, err := plan.New(cfg, noSecrets{})
	if err != nil {
		t.Fatal(err)
	}
	vols := map[string]string{}
	for _, it := range Plan(pl) {
		vols[it.Unit.Name()] = it.Volume
	}
	if vols["redis"] != def+"-0a1b2c3d" || vols["minio"] != plan.VolumeName(cfg.Identity.ID, "minio") {
		t.Fatalf("volumes %v", vols)
	}
	if err := os.WriteFile(filepath.Join(cfg.Root, ".devstack", "datasets.json"), []byte(`{"volumes":{"redis":"x;rm -rf /"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := plan.New(cfg, noSecrets{}); err == nil || !strings.Contains(err.Error(), "not one devstack makes") {
		t.Fatalf("a pointer to a name devstack never makes: %v", err)
	}
}
