package checks

import (
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/output"
)

func TestVulnerabilitiesCheck(t *testing.T) {
	tests := []struct {
		name, yaml string
		listed     bool
		message    string
	}{
		{"the default MinIO pin", "services:\n  minio: {}\n", true, "minio (quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z): CVE-2025-62506"},
		// The repository may quiet up, not doctor: still a warning, naming where.
		{"acknowledged by the project", "services:\n  minio:\n    acknowledge: [CVE-2025-62506]\n", true, "devstack.yaml:3:19; up stays quiet about it"},
		{"a fixed release", "services:\n  minio: {image: \"quay.io/minio/minio:RELEASE.2025-10-15T17-29-55Z\"}\n", false, ""},
		{"no MinIO planned", "services:\n  redis: {}\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, listed := vulnerabilitiesCheck(configtest.Load(t, tt.yaml))
			if listed != tt.listed {
				t.Fatalf("listed %v, want %v: %+v", listed, tt.listed, res)
			}
			if !listed {
				return
			}
			if res.Status != output.Warn || res.Required || !strings.Contains(res.Message, tt.message) ||
				!strings.Contains(res.Fix, "acknowledge: [CVE-2025-62506] under services.minio") {
				t.Fatalf("%+v", res)
			}
		})
	}
}
