package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/postgres"
	"github.com/testcontainers/testcontainers-go/modules/redis"
	"github.com/testcontainers/testcontainers-go/wait"
)

// tcLabel marks what the testcontainers side made, so the harness removes exactly that:
// with Ryuk disabled nothing else would.
const tcLabel = "devstack.bench=peer-tc"

// runTC is the child process: it starts the five services in parallel as a Go developer
// would with testcontainers-go v0.45.0, prints "ready SERVICE" on stdout as each Run
// returns (its wait strategy satisfied), and exits leaving the containers to the harness,
// so that neither side's clean-up is timed.
func runTC(ctx context.Context) error {
	labels := map[string]string{"devstack.bench": "peer-tc"}
	starts := map[string]func(context.Context) error{
		// The redis module (v0.45.0), as is: listening port, then its log line.
		"redis": func(ctx context.Context) error {
			_, err := redis.Run(ctx, image("REDIS"), testcontainers.WithLabels(labels))
			return err
		},
		// The postgres module (v0.45.0) with the wait strategies its docs prescribe: the
		// "ready to accept connections" line twice (the init restart), then the port. The
		// module's Cmd (postgres -c fsync=off) would replace the offline image's entry
		// script (its CMD), so the script is given back as the Cmd: fsync stays on.
		"postgres": func(ctx context.Context) error {
			opts := []testcontainers.ContainerCustomizer{postgres.BasicWaitStrategies(), testcontainers.WithLabels(labels)}
			if strings.HasPrefix(image("POSTGRES"), "devstack-offline/") {
				opts = append(opts, testcontainers.WithCmd("/entry.sh"))
			}
			_, err := postgres.Run(ctx, image("POSTGRES"), opts...)
			return err
		},
		// No rabbitmq module at v0.45.0 (the proxy's newest is v0.40.0): its request and
		// wait strategy, copied. Its custom config file is left out: the offline image's
		// entry script writes its own.
		"rabbitmq": func(ctx context.Context) error {
			_, err := testcontainers.Run(ctx, image("RABBITMQ"),
				testcontainers.WithEnv(map[string]string{"RABBITMQ_DEFAULT_USER": "guest", "RABBITMQ_DEFAULT_PASS": "guest"}),
				testcontainers.WithExposedPorts("5671/tcp", "5672/tcp", "15671/tcp", "15672/tcp"),
				testcontainers.WithWaitStrategy(wait.ForLog(".*Server startup complete.*").AsRegexp().WithStartupTimeout(60*time.Second)),
				testcontainers.WithLabels(labels))
			return err
		},
		// No opensearch module at v0.45.0 (newest v0.37.0): its request and wait strategy
		// (GET / answers 200 with OpenSearch's tagline), copied, without its ulimits, which
		// this engine refuses (devstack falls back the same way).
		"opensearch": func(ctx context.Context) error {
			_, err := testcontainers.Run(ctx, image("OPENSEARCH"),
				testcontainers.WithEnv(map[string]string{
					"discovery.type": "single-node", "DISABLE_INSTALL_DEMO_CONFIG": "true", "DISABLE_SECURITY_PLUGIN": "true",
					"OPENSEARCH_USERNAME": "admin", "OPENSEARCH_PASSWORD": "admin",
				}),
				testcontainers.WithExposedPorts("9200/tcp", "9600/tcp"),
				testcontainers.WithWaitStrategy(wait.ForHTTP("/").WithPort("9200").WithTLS(false).
					WithStartupTimeout(120*time.Second).
					WithStatusCodeMatcher(func(status int) bool { return status == 200 }).
					WithBasicAuth("admin", "admin").
					WithResponseMatcher(func(body io.Reader) bool {
						var r struct {
							Tagline string `json:"tagline"`
						}
						return json.NewDecoder(body).Decode(&r) == nil && r.Tagline == "The OpenSearch Project: https://opensearch.org/"
					})),
				testcontainers.WithLabels(labels))
			return err
		},
		// No minio module published for v0.45.0: its request and wait strategy, copied
		// (GET /minio/health/live on 9000).
		"minio": func(ctx context.Context) error {
			_, err := testcontainers.Run(ctx, image("MINIO"),
				testcontainers.WithEnv(map[string]string{"MINIO_ROOT_USER": "minioadmin", "MINIO_ROOT_PASSWORD": "minioadmin"}),
				testcontainers.WithExposedPorts("9000/tcp"),
				testcontainers.WithCmd("server", "/data"),
				testcontainers.WithWaitStrategy(wait.ForHTTP("/minio/health/live").WithPort("9000")),
				testcontainers.WithLabels(labels))
			return err
		},
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, len(starts))
	for _, name := range serviceNames {
		wg.Go(func() {
			if err := starts[name](ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
				return
			}
			mu.Lock()
			fmt.Printf("ready %s\n", name)
			mu.Unlock()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return nil
}

// image is the offline stand-in devstack itself would use (DEVSTACK_IMAGE_<SERVICE>).
func image(service string) string {
	if img := os.Getenv("DEVSTACK_IMAGE_" + service); img != "" {
		return img
	}
	return map[string]string{
		"REDIS": "redis:7", "POSTGRES": "postgres:16-alpine", "RABBITMQ": "rabbitmq:3-management",
		"OPENSEARCH": "opensearchproject/opensearch:2.19.1", "MINIO": "minio/minio",
	}[service]
}
