package drivers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/services"
)

// Names that come with a fixture's data, not devstack.yaml, are held to the server's
// grammar before anything is sent: a MongoDB collection named by its file.
func TestMongoCollectionFromAFileNameIsChecked(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ rel, want string }{
		{"system.users.json", "MongoDB's own"},
		{"my records.json", "collection name holds characters"},
		{"$cmd.json", "collection name holds characters"},
	} {
		p := filepath.Join(dir, filepath.Base(tt.rel))
		if err := os.WriteFile(p, []byte(`{"x": 1}`), 0o644); err != nil {
			t.Fatal(err)
		}
		// Port 1: were the check missing, the loader would try to connect and fail otherwise.
		target := services.FixtureTarget{Endpoint: services.Endpoint{Host: "127.0.0.1", Ports: map[string]int{"mongodb": 1}, Env: map[string]string{}}}
		err := mongodbLoader{}.Load(context.Background(), target, services.FixtureFile{Rel: tt.rel, Path: p})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "connect") {
			t.Errorf("%s: %v; want a refusal saying %q before any connection", tt.rel, err, tt.want)
		}
	}
}
