package ports

import (
	"context"
	"fmt"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
)

// BenchmarkRunAllFree is a full `devstack ports` check of the default plan (eight ports),
// engine query excluded. Target (issue 3): a few milliseconds.
func BenchmarkRunAllFree(b *testing.B) {
	cfg := configtest.Load(b, "offset: 30000\n")
	for b.Loop() {
		if _, err := Run(context.Background(), cfg, nil, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunOneHeld adds the holder lookup: /proc/net/tcp{,6} and every process's
// descriptors, which is the expensive part.
func BenchmarkRunOneHeld(b *testing.B) {
	port := freePort(b)
	cfg := configtest.Load(b, fmt.Sprintf("services:\n  redis: {ports: {redis: %d}}\n  postgres:\n  rabbitmq:\n  opensearch:\n  minio:\n", port))
	listen(b, fmt.Sprintf("127.0.0.1:%d", port))
	for b.Loop() {
		r, err := Run(context.Background(), cfg, nil, false)
		if err != nil || r.Ports[0].Holder == nil || r.Ports[0].Holder.PID == 0 {
			b.Fatalf("%v %+v", err, r)
		}
	}
}
