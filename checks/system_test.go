package checks

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
)

func constraint(t *testing.T, s string) dockerConstraint {
	c, err := semver.NewConstraint(s)
	if err != nil {
		t.Fatal(err)
	}
	return dockerConstraint{text: s, check: c.Check}
}

func byName(rs []Result) map[string]Result {
	m := map[string]Result{}
	for _, r := range rs {
		m[r.Name] = r
	}
	return m
}

func TestEngineChecks(t *testing.T) {
	dir := t.TempDir()
	plenty := int64(16 << 30)
	tests := []struct {
		name     string
		info     engine.Info
		err      error
		goos     string
		want     map[string]output.Status
		wantFix  string
		wantNone string // a check that must not be there
		// wantLoopback is what the loopback warning must name.
		wantLoopback string
	}{
		{
			name: "current engine",
			info: engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "29.0.4", APIVersion: "1.51", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK, "disk": output.OK, "memory": output.OK}, wantNone: "docker-loopback",
		},
		{
			name: "old engine on this Linux host warns about moby#45610",
			info: engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "20.10.24+dfsg1", APIVersion: "1.41", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK, "docker-loopback": output.Warn}, wantLoopback: "moby#45610",
		},
		{
			name: "28.3.2 on Linux warns about the firewalld regression (CVE-2025-54388)",
			info: engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "28.3.2", APIVersion: "1.51", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK, "docker-loopback": output.Warn}, wantLoopback: "CVE-2025-54388",
		},
		{
			name: "28.3.3 has the fix",
			info: engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "28.3.3", APIVersion: "1.51", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK}, wantNone: "docker-loopback",
		},
		{
			name: "28.1.1 predates the regression",
			info: engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "28.1.1", APIVersion: "1.49", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK}, wantNone: "docker-loopback",
		},
		{
			name: "engine older than the constraint",
			info: engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "19.03.15", DockerRootDir: dir, MemTotal: plenty},
			goos: "darwin", want: map[string]output.Status{"docker-daemon": output.Fail}, wantFix: "upgrade Docker Engine", wantNone: "docker-loopback",
		},
		{
			name: "Docker Desktop reports master",
			info: engine.Info{Host: "unix:///Users/me/.docker/run/docker.sock", ServerVersion: "master", DockerRootDir: "/var/lib/docker-in-vm-" + t.Name(), MemTotal: 3 << 30},
			goos: "darwin", want: map[string]output.Status{"docker-daemon": output.Warn, "disk": output.Skip, "memory": output.Warn},
		},
		{
			name: "stopped daemon fails with its own fix; disk and memory cannot be known",
			err:  &engine.UnreachableError{Host: "unix:///var/run/docker.sock", Err: errors.New("connect: no such file or directory")},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.Fail, "disk": output.Skip, "memory": output.Skip}, wantFix: "start Docker",
		},
		{
			name: "Podman is held to its own versions, not Docker's, and warned about its default ulimits",
			info: engine.Info{Host: engine.PodmanRootful, Kind: engine.KindPodman, FoundBy: engine.FoundByPodman, ServerVersion: "4.3.1", APIVersion: "1.41", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK, "podman-ulimits": output.Warn}, wantNone: "docker-loopback",
		},
		{
			name: "Podman 3 is too old",
			info: engine.Info{Host: engine.PodmanRootful, Kind: engine.KindPodman, ServerVersion: "3.4.4", DockerRootDir: dir, MemTotal: plenty},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.Fail},
		},
		{
			name: "too little memory fails",
			info: engine.Info{Host: "tcp://10.0.0.2:2376", ServerVersion: "28.0.1", DockerRootDir: dir, MemTotal: 1 << 30},
			goos: "linux", want: map[string]output.Status{"docker-daemon": output.OK, "memory": output.Fail},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := byName(engineChecks(tt.info, tt.err, constraint(t, ">=20.10"), tt.goos, fakePodmanHost(nil, 0, false, 20000)))
			for name, st := range tt.want {
				if got[name].Status != st {
					t.Errorf("%s: status %q (%s), want %q", name, got[name].Status, got[name].Message, st)
				}
			}
			if tt.wantFix != "" && !strings.Contains(got["docker-daemon"].Fix, tt.wantFix) {
				t.Errorf("daemon fix %q, want %q", got["docker-daemon"].Fix, tt.wantFix)
			}
			if lb := got["docker-loopback"]; tt.wantLoopback != "" && (!strings.Contains(lb.Message, tt.wantLoopback) || !strings.Contains(lb.Fix, "28.3.3")) {
				t.Errorf("loopback warning %+v, want it to name %s and 28.3.3", lb, tt.wantLoopback)
			}
			if d := got["docker-daemon"]; tt.err == nil && (d.Engine == nil || d.Engine.Kind != tt.info.Kind || d.Engine.Host != tt.info.Host) {
				t.Errorf("daemon engine %+v, want %s at %s", d.Engine, tt.info.Kind, tt.info.Host)
			}
			if _, ok := got[tt.wantNone]; tt.wantNone != "" && ok {
				t.Errorf("%s should not be reported", tt.wantNone)
			}
		})
	}
}

func TestDiskThresholds(t *testing.T) {
	if r := diskCheck("/nonexistent/" + t.Name()); r.Status != output.Skip {
		t.Fatalf("missing dir: %+v", r)
	}
	r := diskCheck(t.TempDir())
	free, err := freeBytes(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := output.OK
	switch {
	case free < diskFail:
		want = output.Fail
	case free < diskWarn:
		want = output.Warn
	}
	if r.Status != want || !strings.HasSuffix(r.Version, "GiB free") {
		t.Fatalf("free %d: %+v, want %s", free, r, want)
	}
}

// The host check a planned service declares (OpenSearch's vm.max_map_count).
func TestSysctlCheck(t *testing.T) {
	search, _ := services.Lookup("opensearch")
	if len(search.HostChecks) != 1 || search.HostChecks[0].Sysctl != "vm.max_map_count" {
		t.Fatalf("opensearch host checks %+v", search.HostChecks)
	}
	tests := []struct {
		raw  string
		err  error
		want output.Status
	}{
		{"262144\n", nil, output.OK},
		{"1048576\n", nil, output.OK},
		{"65530\n", nil, output.Warn},
		{"garbage", nil, output.Warn},
		{"", errors.New("permission denied"), output.Skip},
	}
	for _, tt := range tests {
		r := sysctlCheck(search.HostChecks[0], func(key string) (string, error) {
			if key != "vm.max_map_count" {
				t.Fatalf("read %s", key)
			}
			return tt.raw, tt.err
		})
		if r.Status != tt.want {
			t.Errorf("%q: %+v, want %s", tt.raw, r, tt.want)
		}
		if tt.want == output.Warn && tt.raw == "65530\n" && !strings.Contains(r.Fix, "sysctl -w vm.max_map_count=262144") {
			t.Errorf("fix %q", r.Fix)
		}
	}
}

func TestFixUsesThePackageManagerPresent(t *testing.T) {
	p := pkg{apt: "imagemagick", dnf: "ImageMagick", brew: "imagemagick", url: "https://imagemagick.org"}
	only := func(names ...string) func(string) bool {
		return func(c string) bool { return slices.Contains(names, c) }
	}
	tests := []struct {
		h    host
		want string
	}{
		{host{goos: "linux", has: only("apt-get")}, "sudo apt-get install imagemagick"},
		{host{goos: "linux", has: only("dnf")}, "sudo dnf install ImageMagick"},
		{host{goos: "darwin", has: only("apt-get")}, "brew install imagemagick"},
		{host{goos: "linux", has: only()}, "install it from https://imagemagick.org"},
	}
	for _, tt := range tests {
		if got := tt.h.install(p); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.h.goos, got, tt.want)
		}
	}
	noenv := func(string) string { return "" }
	py := toolProbes["python"].fix
	if got := py(host{goos: "linux", getenv: noenv, has: only("apt-get")}, "/root/.pyenv/shims/python3"); !strings.HasPrefix(got, "pyenv install") {
		t.Errorf("python under pyenv: %q", got)
	}
	node := toolProbes["node"].fix
	if got := node(host{goos: "linux", getenv: noenv, has: only("apt-get")}, "/home/me/.nvm/versions/node/v18.0.0/bin/node"); !strings.HasPrefix(got, "nvm install") {
		t.Errorf("node under nvm: %q", got)
	}
}
