package preflight

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func cpuinfo(t *testing.T, name string) CPU {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cpuinfo", name))
	if err != nil {
		t.Fatal(err)
	}
	return ParseCPUInfo(data)
}

func TestParseCPUInfo(t *testing.T) {
	tests := []struct {
		file     string
		arch     string
		has, not []string
	}{
		{"x86-sandybridge-avx.txt", "amd64", []string{"avx", "sse4_2"}, []string{"avx2"}},
		{"x86-qemu-kvm64-no-avx.txt", "amd64", []string{"sse2", "hypervisor"}, []string{"avx"}},
		{"x86-pentium-g4560-no-avx.txt", "amd64", []string{"sse4_2", "aes"}, []string{"avx", "avx2"}},
		{"arm64-raspberrypi4-v80.txt", "arm64", []string{"asimd", "crc32"}, []string{"atomics", "fphp"}},
		{"arm64-thunderx2-v81-atomics.txt", "arm64", []string{"atomics", "asimdrdm"}, []string{"fphp", "dcpop", "asimddp"}},
		{"arm64-graviton2-v82.txt", "arm64", []string{"fphp", "dcpop", "asimddp"}, nil},
		// Only the big cores have the 8.2 features: a feature some cores lack is missing.
		{"arm64-mixed-cores.txt", "arm64", []string{"asimd"}, []string{"atomics", "fphp", "asimddp"}},
		{"unknown.txt", "", nil, []string{"avx"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cpu := cpuinfo(t, tt.file)
			if cpu.Arch != tt.arch {
				t.Fatalf("arch %q, want %q", cpu.Arch, tt.arch)
			}
			for _, f := range tt.has {
				if !cpu.Flags[f] {
					t.Errorf("missing %s", f)
				}
			}
			for _, f := range tt.not {
				if cpu.Flags[f] {
					t.Errorf("has %s", f)
				}
			}
		})
	}
}

// This machine's own /proc/cpuinfo parses to its architecture, with flags.
func TestParseThisMachine(t *testing.T) {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("SKIPPED: no /proc/cpuinfo here: %v", err)
	}
	cpu := ParseCPUInfo(data)
	if cpu.Arch == "" || len(cpu.Flags) == 0 {
		t.Fatalf("this machine's cpuinfo read as %+v", cpu)
	}
}

func TestFloorsFor(t *testing.T) {
	tests := []struct {
		ref   string
		env   map[string]string
		archs string // the architectures of the floors that apply
	}{
		{"mongo:8.0", nil, "amd64,arm64"},
		{"mongo", nil, "amd64,arm64"}, // latest
		{"docker.io/library/mongo:5.0.31", nil, "amd64,arm64"},
		{"mongo:7.0-noble", nil, "amd64,arm64"},
		{"mongo:4.4", nil, "arm64"},    // floating: the newest 4.4.x, past 4.4.19
		{"mongo:4.4.18", nil, ""},      // the last 4.4 without any floor
		{"mongo:4.4.19", nil, "arm64"}, // ARMv8.2-A only
		{"mongo:4.2.24", nil, "arm64"},
		{"mongo:4.0", nil, ""},
		// The image's own MONGO_VERSION wins over a tag that says nothing.
		{"mongo:custom", map[string]string{"MONGO_VERSION": "4.4.18"}, ""},
		{"mongo@sha256:" + strings.Repeat("a", 64), map[string]string{"MONGO_VERSION": "8.0.4"}, "amd64,arm64"},
		{"mongodb/mongodb-community-server:7.0-ubuntu2204", nil, "amd64,arm64"},
		{"devstack-offline/mongodb:latest", nil, ""}, // FerretDB stand-in: not MongoDB's binaries
		{"ferretdb/ferretdb:2", nil, ""},
		// MinIO on ubi9-micro needs x86-64-v2; its -cpuv1 builds and older releases do not.
		{"quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", nil, "amd64"},
		{"minio/minio", nil, "amd64"},
		{"quay.io/minio/minio:RELEASE.2025-01-20T14-49-07Z-cpuv1", nil, ""},
		{"minio/minio:RELEASE.2023-09-04T19-57-37Z", nil, ""},
		{"devstack-offline/minio:latest", nil, ""},
		{"not a reference", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			var archs []string
			for _, f := range FloorsFor(tt.ref, tt.env) {
				archs = append(archs, f.Arch)
			}
			if got := strings.Join(archs, ","); got != tt.archs {
				t.Fatalf("floors on %q, want %q", got, tt.archs)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name    string
		ref     string
		arch    string // the image build's; "" the host's
		cpuinfo string
		status  string
		reason  string
		fix     string
	}{
		{"AVX present", "mongo:8.0", "", "x86-sandybridge-avx.txt", Pass, "has it", ""},
		{"Proxmox kvm64 VM without AVX", "mongo:8.0", "amd64", "x86-qemu-kvm64-no-avx.txt", Refuse, `none of avx: the server would die at start with "Illegal instruction"`, "mongo:4.4"},
		{"Pentium without AVX", "mongo:5.0", "", "x86-pentium-g4560-no-avx.txt", Refuse, "needs a CPU with AVX", "mongo:4.4"},
		{"4.4 needs no AVX", "mongo:4.4", "", "x86-pentium-g4560-no-avx.txt", Pass, "", ""},
		{"Raspberry Pi 4 (ARMv8.0)", "mongo:8.0", "arm64", "arm64-raspberrypi4-v80.txt", Refuse, "needs an ARMv8.2-A CPU", "mongo:4.4.18"},
		{"ARMv8.1 atomics and asimdrdm are not enough", "mongo:7.0", "", "arm64-thunderx2-v81-atomics.txt", Refuse, "none of fphp", "mongo:4.4.18"},
		{"mongo:4.4 floats past 4.4.19 on arm64", "mongo:4.4", "", "arm64-raspberrypi4-v80.txt", Refuse, "ARMv8.2-A", "mongo:4.4.18"},
		{"4.4.18 runs on a Pi 4", "mongo:4.4.18", "", "arm64-raspberrypi4-v80.txt", Pass, "", ""},
		{"Graviton 2", "mongo:8.0", "arm64", "arm64-graviton2-v82.txt", Pass, "has it", ""},
		{"big.LITTLE with 8.2 on some cores only", "mongo:8.0", "", "arm64-mixed-cores.txt", Refuse, "ARMv8.2-A", ""},
		{"amd64 build emulated on an Apple silicon VM", "mongo:8.0", "amd64", "arm64-apple-m1-vm.txt", Refuse, "under emulation", "build of the image for arm64"},
		{"amd64 build emulated on Graviton", "mongo:8.0", "amd64", "arm64-graviton2-v82.txt", Refuse, "under emulation", "mongo:4.4"},
		{"arm64 build on the Apple silicon VM", "mongo:8.0", "arm64", "arm64-apple-m1-vm.txt", Pass, "", ""},
		{"unreadable cpuinfo: cannot tell, never a refusal", "mongo:8.0", "", "unknown.txt", Unknown, "cannot tell", ""},
		{"no floor: nothing to judge", "redis:7", "", "x86-qemu-kvm64-no-avx.txt", Pass, "", ""},
		{"MinIO on a kvm64 VM: not x86-64-v2", "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "", "x86-qemu-kvm64-no-avx.txt", Refuse, "lacks popcnt, sse4_1, sse4_2, ssse3", "-cpuv1"},
		{"MinIO on a Pentium without AVX: x86-64-v2 is enough", "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "", "x86-pentium-g4560-no-avx.txt", Pass, "has it", ""},
		{"MinIO's amd64 build emulated: cannot tell, a warning", "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "amd64", "arm64-graviton2-v82.txt", Unknown, "under emulation", ""},
		{"MinIO's arm64 build has no floor", "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "", "arm64-raspberrypi4-v80.txt", Pass, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(tt.ref, FloorsFor(tt.ref, nil), tt.arch, cpuinfo(t, tt.cpuinfo))
			if v.Status != tt.status || !strings.Contains(v.Reason, tt.reason) || !strings.Contains(v.Fix, tt.fix) {
				t.Fatalf("got %s %q fix %q; want %s %q fix containing %q", v.Status, v.Reason, v.Fix, tt.status, tt.reason, tt.fix)
			}
			if v.Status == Refuse && (v.Fix == "" || v.Source == "") {
				t.Fatalf("a refusal without a fix or a source: %+v", v)
			}
		})
	}
}

func TestAdvisories(t *testing.T) {
	tests := []struct {
		ref  string
		want string
	}{
		{"quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "CVE-2025-62506"}, // the default: the last community image
		{"minio/minio:RELEASE.2024-01-01T00-00-00Z", "CVE-2025-62506"},
		{"quay.io/minio/minio", "CVE-2025-62506"}, // latest is that same last image
		{"quay.io/minio/minio:RELEASE.2025-10-15T17-29-55Z", ""},
		{"quay.io/minio/minio:RELEASE.2026-01-01T00-00-00Z", ""},
		{"registry.example.org/minio/minio:RELEASE.2025-09-07T16-13-09Z", ""}, // someone's own build
		{"devstack-offline/minio:latest", ""},
		{"redis:7", ""},
	}
	for _, tt := range tests {
		var ids []string
		for _, a := range AdvisoriesFor(tt.ref) {
			ids = append(ids, a.ID)
			if a.Advice == "" || a.Source == "" || a.Summary == "" {
				t.Errorf("%s: advisory without advice, summary or source", a.ID)
			}
		}
		if got := strings.Join(ids, ","); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.ref, got, tt.want)
		}
	}
	if id, ok := KnownAdvisory("cve-2025-62506"); !ok || id != "CVE-2025-62506" {
		t.Fatalf("KnownAdvisory = %q %v", id, ok)
	}
	if _, ok := KnownAdvisory("CVE-2099-0001"); ok {
		t.Fatal("an unknown id is known")
	}
}
