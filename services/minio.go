package services

import (
	"strings"
	"time"

	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/probe/spec"
)

var _ = register(&Service{
	Name:  "minio",
	Order: 50,
	// The last community image MinIO published (later fixes are source-only), from quay.io:
	// Docker Hub removed minio/minio in September 2026; quay.io keeps the same digests.
	Image: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z",
	Ports: []Port{
		{Name: "api", Container: 9000, Host: 9000},
		{Name: "console", Container: 9001, Host: 9001},
	},
	Mount:   "/data",
	Timeout: 60 * time.Second,
	Env: func(p Params) map[string]string {
		return map[string]string{
			"MINIO_ROOT_USER":     "devstack",
			"MINIO_ROOT_PASSWORD": p.Secret("MINIO_ROOT_PASSWORD"),
			"DEVSTACK_BUCKET":     bucketName(p.Project),
		}
	},
	Cmd: func(map[string]string) []string {
		return []string{"server", "/data", "--console-address", ":9001"}
	},
	// /minio/health/cluster, not /live or /ready: current MinIO answers 200 on those before
	// its object layer exists; /cluster answers 503 until objects, bucket metadata and IAM
	// are up.
	Probe:    spec.Spec{Kind: "http", Port: "api", Path: "/minio/health/cluster"},
	Fixtures: &Fixtures{Kind: "minio", Files: "any files", Keys: []FixtureOption{{Key: "bucket", Default: "the project's bucket (S3_BUCKET)", Check: grammar.BucketName}}},
	// The bucket S3_BUCKET names exists once the service is ready (services/drivers).
	AfterReady: "minio-bucket",
	Connection: func(ep Endpoint) []Setting {
		return []Setting{
			{Key: "S3_ENDPOINT_URL", Value: "http://" + ep.Addr("api")},
			{Key: "S3_ACCESS_KEY_ID", Value: ep.Env["MINIO_ROOT_USER"]},
			{Key: "S3_SECRET_ACCESS_KEY", Value: ep.Env["MINIO_ROOT_PASSWORD"], Secret: true},
			{Key: "S3_BUCKET", Value: ep.Env["DEVSTACK_BUCKET"]},
		}
	},
})

// bucketName follows S3's rules: 3 to 63 lower-case letters, digits and hyphens,
// starting and ending with a letter or digit (a project named app- or app_ or app. would
// otherwise make a bucket MinIO refuses).
func bucketName(project string) string {
	b := strings.Trim(identifier(project, '-'), "-")
	if len(b) > 63 {
		b = strings.TrimRight(b[:63], "-")
	}
	if b == "" {
		b = "devstack"
	}
	for len(b) < 3 {
		b += "-0"
	}
	return b
}
