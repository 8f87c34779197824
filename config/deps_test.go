package config

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/testenv"
)

// Reading devstack.yaml needs no client library: the service definitions config reads
// are data, and the drivers that speak each protocol (probe, services/drivers) are linked
// only by the commands that run things.
func TestConfigLinksNoClientLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		testenv.Missing(t, "no go command: %v", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/devstack-dev/devstack/config").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	clients := []string{
		"github.com/jackc/pgx",
		"github.com/go-sql-driver/mysql",
		"go.mongodb.org/mongo-driver",
		"github.com/gomodule/redigo",
		"github.com/redis/go-redis",
		"github.com/rabbitmq/amqp091-go",
		"github.com/minio/minio-go",
		"github.com/bradfitz/gomemcache",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, c := range clients {
			if dep == c || strings.HasPrefix(dep, c+"/") {
				t.Errorf("config links %s", dep)
			}
		}
	}
}
