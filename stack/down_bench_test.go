package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// BenchmarkDownFive measures down of the five usual services on the real engine: each
// iteration brings them up (not timed), lets them settle, and times down alone. Run it
// under the e2e lock, with the offline images in the environment:
//
//	flock /tmp/devstack-e2e.lock go test ./stack -run '^$' -bench DownFive -benchtime 3x
func BenchmarkDownFive(b *testing.B) {
	eng, err := engine.Connect(nil)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = eng.Info(ctx)
		cancel()
	}
	if err != nil {
		b.Skipf("no Docker engine answers: %v", err)
	}
	defer eng.Close()
	ctx := context.Background()
	dir := b.TempDir()
	yaml := fmt.Sprintf("project: bench-down-%d\noffset: 37000\nservices:\n  redis:\n  postgres:\n  rabbitmq:\n  opensearch:\n  minio:\n", os.Getpid())
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte(yaml), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Dir: dir}) // DEVSTACK_IMAGE_* from the environment
	if err != nil {
		b.Fatal(err)
	}
	secrets, err := state.LoadSecrets(dir)
	if err != nil {
		b.Fatal(err)
	}
	pl, err := plan.New(cfg, secrets)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _, _ = Down(ctx, eng, cfg, true, nil) }()
	for b.Loop() {
		b.StopTimer()
		if _, err := Up(ctx, eng, pl, secrets, UpOptions{NoWait: true}); err != nil {
			b.Fatal(err)
		}
		time.Sleep(5 * time.Second) // running, as a user's stack is when they call down
		b.StartTimer()
		r, err := Down(ctx, eng, cfg, false, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Containers) != 5 {
			b.Fatalf("down removed %v, want the five containers", r.Containers)
		}
	}
}
