package checks

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
)

// fakePodmanHost maps containers.conf paths to files under testdata/containers.
func fakePodmanHost(files map[string]string, euid int, sysResource bool, hardNofile uint64) podmanHost {
	return podmanHost{
		getenv: func(string) string { return "" },
		readFile: func(path string) ([]byte, error) {
			if name, ok := files[path]; ok {
				return os.ReadFile(filepath.Join("testdata", "containers", name))
			}
			return nil, fs.ErrNotExist
		},
		glob: func(pattern string) ([]string, error) {
			var out []string
			for path := range files {
				if ok, _ := filepath.Match(pattern, path); ok {
					out = append(out, path)
				}
			}
			return out, nil
		},
		limits: func() (int, bool, uint64, error) { return euid, sysResource, hardNofile, nil },
	}
}

func TestPodmanUlimitsCheck(t *testing.T) {
	const etc = "/etc/containers/containers.conf"
	const dropin = "/etc/containers/containers.conf.d/50-devstack.conf"
	rootful := engine.Info{Host: engine.PodmanRootful, Kind: engine.KindPodman}
	tests := []struct {
		name     string
		info     engine.Info
		host     podmanHost
		want     output.Status // "" means no check at all
		wantPath string
	}{
		{"Docker: no such check", engine.Info{Host: engine.DefaultHost, Kind: engine.KindDocker}, fakePodmanHost(nil, 0, false, 20000), "", ""},
		{"rootless Podman keeps the user's limits", engine.Info{Host: "unix:///run/user/1000/podman/podman.sock", Kind: engine.KindPodman}, fakePodmanHost(nil, 0, false, 20000), "", ""},
		{"remote Podman: its host's files are not here", engine.Info{Host: "ssh://me@box", Kind: engine.KindPodman, Remote: true}, fakePodmanHost(nil, 0, false, 20000), "", ""},
		{"default_ulimits = [] in /etc", rootful, fakePodmanHost(map[string]string{etc: "empty-ulimits.conf"}, 0, false, 20000), output.OK, etc},
		{"set in a drop-in", rootful, fakePodmanHost(map[string]string{etc: "unset.conf", dropin: "empty-ulimits.conf"}, 0, false, 20000), output.OK, dropin},
		{"unset, and this host refuses to raise nofile", rootful, fakePodmanHost(map[string]string{etc: "unset.conf"}, 0, false, 20000), output.Warn, ""},
		{"unset, but CAP_SYS_RESOURCE lets it", rootful, fakePodmanHost(nil, 0, true, 20000), output.OK, ""},
		{"unset, and the hard limit is already high enough", rootful, fakePodmanHost(nil, 0, false, 1048576), output.OK, ""},
		{"not root: cannot tell", rootful, fakePodmanHost(nil, 1000, false, 20000), output.Skip, ""},
		{"an unreadable containers.conf is named", rootful, fakePodmanHost(map[string]string{etc: "broken.conf"}, 0, false, 20000), output.Warn, etc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := podmanUlimitsCheck(tt.info, tt.host)
			if !ok {
				if tt.want != "" {
					t.Fatalf("no check, want %s", tt.want)
				}
				return
			}
			if r.Status != tt.want || r.Path != tt.wantPath {
				t.Fatalf("got %s at %q (%s), want %s at %q", r.Status, r.Path, r.Message, tt.want, tt.wantPath)
			}
			if r.Status == output.Warn && r.Path == "" && !strings.Contains(r.Fix, "default_ulimits = []") {
				t.Errorf("fix %q does not say what to set", r.Fix)
			}
		})
	}
}

func TestPodmanUlimitsContainersConfEnv(t *testing.T) {
	h := fakePodmanHost(map[string]string{"/etc/containers/containers.conf": "empty-ulimits.conf", "/tmp/mine.conf": "unset.conf"}, 0, false, 20000)
	h.getenv = func(k string) string { return map[string]string{"CONTAINERS_CONF": "/tmp/mine.conf"}[k] }
	r, _ := podmanUlimitsCheck(engine.Info{Host: engine.PodmanRootful, Kind: engine.KindPodman}, h)
	if r.Status != output.Warn {
		t.Fatalf("CONTAINERS_CONF replaces the system files: got %s (%s)", r.Status, r.Message)
	}
	h.limits = func() (int, bool, uint64, error) { return 0, false, 0, errors.New("no /proc") }
	if r, _ := podmanUlimitsCheck(engine.Info{Host: engine.PodmanRootful, Kind: engine.KindPodman}, h); r.Status != output.Skip {
		t.Fatalf("unreadable limits: got %s", r.Status)
	}
}
