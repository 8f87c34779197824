package checks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/semver/v3"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
)

func engineRef(info engine.Info) *engine.Ref {
	r := info.Ref()
	return &r
}

// podmanConstraint is the Podman devstack is tested with (Debian 12's 4.3) and the first
// whose Docker-compatible API carries what devstack uses (networks with aliases, volume
// labels, port reporting). Podman's versions are its own, so Docker's constraint does
// not apply to them.
var podmanConstraint = dockerConstraint{text: ">=4.0", check: func(v *semver.Version) bool {
	return !v.LessThan(semver.MustParse("4.0.0"))
}}

// podmanNofile is the nofile limit rootful Podman gives every container unless
// containers.conf says otherwise (fs.nr_open's default).
const podmanNofile = 1048576

// podmanHost is what the Podman ulimits check reads of this machine; tests swap it.
type podmanHost struct {
	getenv   func(string) string
	readFile func(string) ([]byte, error)
	glob     func(string) ([]string, error)
	// limits is the euid, whether CAP_SYS_RESOURCE is effective, and the hard nofile limit.
	limits func() (euid int, sysResource bool, hardNofile uint64, err error)
}

func realPodmanHost(getenv func(string) string) podmanHost {
	return podmanHost{getenv: getenv, readFile: os.ReadFile, glob: filepath.Glob, limits: selfLimits}
}

// podmanUlimitsCheck warns when rootful Podman on this machine will raise every
// container's nofile limit beyond what the host allows: each container then fails to
// start with the OCI runtime's "error setting rlimit".
func podmanUlimitsCheck(info engine.Info, h podmanHost) (Result, bool) {
	if info.Kind != engine.KindPodman || info.Remote || !strings.HasPrefix(info.Host, "unix://") {
		return Result{}, false
	}
	r := Result{Name: "podman-ulimits", Kind: kindSystem}
	if strings.Contains(info.Host, "/run/user/") {
		return r, false // rootless Podman keeps the user's own limits
	}
	file, set, err := defaultUlimits(h)
	if err != nil {
		r.Status, r.Message, r.Path = output.Warn, err.Error(), file
		return r, true
	}
	if set {
		r.Status, r.Path, r.Message = output.OK, file, "default_ulimits is set"
		return r, true
	}
	euid, sysResource, hard, err := h.limits()
	switch {
	case err != nil:
		r.Status, r.Message = output.Skip, fmt.Sprintf("cannot read this process's limits: %v", err)
	case euid != 0:
		r.Status, r.Message = output.Skip, "run doctor as root to check whether rootful Podman can raise limits here"
	case sysResource || hard >= podmanNofile:
		r.Status, r.Message = output.OK, "this host lets Podman raise nofile to its default"
	default:
		r.Status = output.Warn
		r.Version = fmt.Sprintf("nofile %d", hard)
		r.Message = fmt.Sprintf("Podman raises every container's nofile limit to %d (no default_ulimits in containers.conf), "+
			"and this host refuses more than %d: every container will fail to start", podmanNofile, hard)
		r.Fix = engine.PodmanUlimitsFix
	}
	return r, true
}

// defaultUlimits reads containers.conf as Podman does: CONTAINERS_CONF alone when set,
// else the vendor file, /etc's, then its drop-ins in name order; a later file's key wins.
func defaultUlimits(h podmanHost) (file string, set bool, err error) {
	files := []string{h.getenv("CONTAINERS_CONF")}
	if files[0] == "" {
		files = []string{"/usr/share/containers/containers.conf", "/etc/containers/containers.conf"}
		dropins, _ := h.glob("/etc/containers/containers.conf.d/*.conf")
		sort.Strings(dropins)
		files = append(files, dropins...)
	}
	for _, f := range files {
		data, rerr := h.readFile(f)
		if errors.Is(rerr, fs.ErrNotExist) {
			continue
		}
		if rerr != nil {
			return f, false, fmt.Errorf("read %s: %w", f, rerr)
		}
		var conf struct {
			Containers struct {
				DefaultUlimits *[]string `toml:"default_ulimits"`
			} `toml:"containers"`
		}
		if _, derr := toml.Decode(string(data), &conf); derr != nil {
			return f, false, fmt.Errorf("read %s: %w", f, derr)
		}
		if conf.Containers.DefaultUlimits != nil {
			file, set = f, true
		}
	}
	return file, set, nil
}
