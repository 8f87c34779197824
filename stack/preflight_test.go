package stack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/internal/configtest"
	"github.com/devstack-dev/devstack/internal/enginetest"
	"github.com/devstack-dev/devstack/services/engine"
)

// cpuEngine is the fake engine with a host whose /proc/cpuinfo is a fixture.
type cpuEngine struct {
	*enginetest.Fake
	cpuinfo string
	reads   int
}

func (e *cpuEngine) HostCPUInfo(context.Context, string) ([]byte, string, error) {
	e.reads++
	data, err := os.ReadFile(filepath.Join("testdata", "cpuinfo", e.cpuinfo))
	return data, "fixture " + e.cpuinfo, err
}

// up refuses an image whose CPU floor the engine's host lacks before it creates
// anything, with the reason and a fix; a host that has it goes on.
func TestUpRefusesBelowCPUFloor(t *testing.T) {
	tests := []struct {
		name    string
		image   string
		cpuinfo string
		refused bool
		reads   int
		pull    bool // the image is at the registry, not yet local
	}{
		{"MongoDB 8 without AVX: refused", "mongo:8.0", "x86-qemu-kvm64-no-avx.txt", true, 1, false},
		{"MongoDB 8 with AVX", "mongo:8.0", "x86-sandybridge-avx.txt", false, 1, false},
		{"MongoDB 4.4 needs no AVX", "mongo:4.4", "x86-qemu-kvm64-no-avx.txt", false, 1, false},
		{"no floor: cpuinfo not even read", "redis:7", "x86-qemu-kvm64-no-avx.txt", false, 0, false},
		// Refused before the pull: nobody waits for a large image only to be refused.
		{"MongoDB 8 to pull, without AVX: refused before the pull", "mongo:8.0", "x86-qemu-kvm64-no-avx.txt", true, 1, true},
		{"MongoDB 8 to pull, with AVX: pulled, read once", "mongo:8.0", "x86-sandybridge-avx.txt", false, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := configtest.Load(t, "project: p\nservices:\n  mongodb: {image: \""+tt.image+"\"}\n")
			f := enginetest.New()
			if tt.pull {
				f.Registry[tt.image] = &engine.Distribution{Platforms: []engine.Platform{{OS: "linux", Architecture: "amd64"}}}
			} else {
				f.LocalImage(tt.image, nil)
			}
			eng := &cpuEngine{Fake: f, cpuinfo: tt.cpuinfo}
			_, err := Up(context.Background(), eng, planFor(t, cfg), fixedSecrets{}, UpOptions{NoWait: true})
			var pe *PlatformError
			if tt.refused != errors.As(err, &pe) {
				t.Fatalf("err = %v; refused want %v", err, tt.refused)
			}
			if eng.reads != tt.reads {
				t.Fatalf("cpuinfo read %d times, want %d", eng.reads, tt.reads)
			}
			if !tt.refused {
				if tt.pull && !strings.Contains(f.CallLog(), "pull "+tt.image) {
					t.Fatalf("not pulled: %s", f.CallLog())
				}
				return
			}
			if strings.Contains(f.CallLog(), "create") || strings.Contains(f.CallLog(), "network") || strings.Contains(f.CallLog(), "pull") {
				t.Fatalf("something was created before the refusal: %s", f.CallLog())
			}
			if !strings.Contains(pe.Error(), "mongodb: MongoDB mongo:8.0 needs a CPU with AVX") ||
				!strings.Contains(pe.Hint(), "mongo:4.4") || !strings.Contains(pe.Hint(), "DEVSTACK_IMAGE_MONGODB") {
				t.Fatalf("error %q, hint %q", pe.Error(), pe.Hint())
			}
		})
	}
}

// up warns, once per run, about a known-vulnerable pin until the project acknowledges it.
func TestUpWarnsAboutVulnerablePins(t *testing.T) {
	const image = "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z"
	for _, ack := range []bool{false, true} {
		yaml := "project: p\nservices:\n  minio: {}\n"
		if ack {
			yaml = "project: p\nservices:\n  minio:\n    acknowledge: [CVE-2025-62506]\n"
		}
		f := enginetest.New()
		f.LocalImage(image, nil)
		report, err := Up(context.Background(), f, planFor(t, configtest.Load(t, yaml)), fixedSecrets{}, UpOptions{NoWait: true})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, w := range report.Warnings {
			if strings.Contains(w, "CVE-2025-62506") {
				n++
				if !strings.HasPrefix(w, "minio: image "+image+" has a known vulnerability") || !strings.Contains(w, "acknowledge: [CVE-2025-62506] under services.minio") {
					t.Fatalf("warning %q", w)
				}
			}
		}
		if want := map[bool]int{false: 1, true: 0}[ack]; n != want {
			t.Fatalf("acknowledged %v: %d warnings about the CVE, want %d: %v", ack, n, want, report.Warnings)
		}
	}
}
