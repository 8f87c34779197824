package checks

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services"
	"github.com/devstack-dev/devstack/services/engine"
)

// Thresholds, documented in docs/commands.md ("doctor"). Images for the five services take about 3 GiB and
// their data grows from there; OpenSearch alone takes a 512 MiB heap plus its JVM.
const (
	diskFail   = 2 << 30
	diskWarn   = 10 << 30
	memoryFail = 2 << 30
	memoryWarn = 4 << 30
)

// Engines that let other hosts reach ports published on 127.0.0.1: every one before 28.0
// (moby#45610), and on Linux with firewalld, 28.2.0 to 28.3.2, which dropped the rules
// guarding them on a firewalld reload (CVE-2025-54388, fixed in 28.3.3).
var (
	isolatedSince   = semver.MustParse("28.0.0")
	firewalldBroken = semver.MustParse("28.2.0")
	firewalldFixed  = semver.MustParse("28.3.3")
)

// engineChecks judges the daemon and what only it can tell: its version, its published
// port isolation, the disk where it keeps its data and the memory it has.
func engineChecks(info engine.Info, err error, constraint dockerConstraint, goos string, podman podmanHost) []Result {
	daemon := Result{Name: "docker-daemon", Kind: kindSystem, Required: true, Constraint: constraint.text}
	if err != nil {
		daemon.Status = output.Fail
		daemon.Message = err.Error()
		daemon.Fix = output.HintOf(err)
		var ue *engine.UnreachableError
		if errors.As(err, &ue) {
			daemon.Path = ue.Host
		}
		skipped := "the Docker daemon does not answer"
		return []Result{daemon,
			{Name: "disk", Kind: kindSystem, Required: true, Status: output.Skip, Message: skipped},
			{Name: "memory", Kind: kindSystem, Required: true, Status: output.Skip, Message: skipped},
		}
	}
	daemon.Path = info.Host
	daemon.Version = info.ServerVersion
	daemon.Message = "API " + info.APIVersion
	daemon.Engine = engineRef(info)
	if info.Kind == engine.KindPodman {
		constraint = podmanConstraint
		daemon.Constraint = constraint.text
	}
	out := []Result{daemon}
	v, ok := Comparable(info.ServerVersion)
	switch {
	case !ok:
		// Docker Desktop reports its engine as "master".
		out[0].Status = output.Warn
		out[0].Message += fmt.Sprintf("; development build %q: cannot check it against %s", info.ServerVersion, constraint.text)
	case !constraint.check(v):
		out[0].Status = output.Fail
		out[0].Message += fmt.Sprintf("; engine %s does not satisfy %s", info.ServerVersion, constraint.text)
		out[0].Fix = "upgrade Docker Engine: https://docs.docker.com/engine/install/"
	default:
		out[0].Status = output.OK
	}
	if ok && goos == "linux" && strings.HasPrefix(info.Host, "unix://") && info.Kind != engine.KindPodman {
		if r, exposed := loopbackCheck(v, info.ServerVersion); exposed {
			out = append(out, r)
		}
	}
	if r, ok := podmanUlimitsCheck(info, podman); ok {
		out = append(out, r)
	}
	out = append(out, diskCheck(info.DockerRootDir), memoryCheck(info.MemTotal))
	return out
}

// loopbackCheck warns about an engine on this Linux host that can expose ports devstack
// publishes on 127.0.0.1 to other hosts.
func loopbackCheck(v *semver.Version, version string) (Result, bool) {
	r := Result{Name: "docker-loopback", Kind: kindSystem, Status: output.Warn, Version: version, Constraint: ">=28.3.3",
		Fix: "upgrade Docker Engine to 28.3.3 or later; until then use devstack on trusted networks only"}
	switch {
	case v.LessThan(isolatedSince):
		r.Message = "engines before 28.0 let hosts on your network segment reach ports published on 127.0.0.1 (moby#45610)"
	case !v.LessThan(firewalldBroken) && v.LessThan(firewalldFixed):
		r.Message = "engines 28.2.0 to 28.3.2 let other hosts reach ports published on 127.0.0.1 after firewalld reloads (CVE-2025-54388)"
	default:
		return r, false
	}
	return r, true
}

type dockerConstraint struct {
	text  string
	check func(*semver.Version) bool
}

func diskCheck(dir string) Result {
	r := Result{Name: "disk", Kind: kindSystem, Required: true, Path: dir, Constraint: ">=" + gib(diskWarn)}
	free, err := freeBytes(dir)
	if err != nil {
		// Docker Desktop keeps its data inside its VM, out of this machine's reach.
		r.Status = output.Skip
		r.Message = fmt.Sprintf("cannot measure free space where Docker keeps its data: %v", err)
		return r
	}
	r.Version = gib(free) + " free"
	switch {
	case free < diskFail:
		r.Status, r.Message = output.Fail, fmt.Sprintf("only %s free where Docker keeps its data; images and volumes need more", gib(free))
	case free < diskWarn:
		r.Status, r.Message = output.Warn, fmt.Sprintf("%s free where Docker keeps its data; below %s images may not fit", gib(free), gib(diskWarn))
	default:
		r.Status = output.OK
		return r
	}
	r.Fix = "free space: docker system prune (removes stopped containers and unused images)"
	return r
}

func memoryCheck(total int64) Result {
	r := Result{Name: "memory", Kind: kindSystem, Required: true, Version: gib(total), Constraint: ">=" + gib(memoryWarn)}
	switch {
	case total < memoryFail:
		r.Status, r.Message = output.Fail, fmt.Sprintf("the Docker engine has %s of memory; the stack needs at least %s", gib(total), gib(memoryFail))
	case total < memoryWarn:
		r.Status, r.Message = output.Warn, fmt.Sprintf("the Docker engine has %s of memory; OpenSearch may be killed below %s", gib(total), gib(memoryWarn))
	default:
		r.Status = output.OK
		return r
	}
	r.Fix = "give Docker more memory (Docker Desktop: Settings → Resources → Memory), or close other containers"
	return r
}

// sysctlCheck reads a kernel setting a planned service wants at least a value of. The
// services start without it (OpenSearch in single-node mode only warns), so a low value
// is a warning.
func sysctlCheck(hc services.HostCheck, read func(key string) (string, error)) Result {
	r := Result{Name: hc.Sysctl, Kind: kindSystem, Constraint: ">=" + strconv.Itoa(hc.Min)}
	raw, err := read(hc.Sysctl)
	if err != nil {
		r.Status, r.Message = output.Skip, fmt.Sprintf("cannot read it: %v", err)
		return r
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil {
		r.Status, r.Message = output.Warn, fmt.Sprintf("unreadable value %q", strings.TrimSpace(raw))
		return r
	}
	r.Version = strconv.Itoa(n)
	if n >= hc.Min {
		r.Status = output.OK
		return r
	}
	r.Status = output.Warn
	r.Message = fmt.Sprintf("%d is below the %d %s wants", n, hc.Min, hc.For)
	r.Fix = hc.Fix
	return r
}

// readSysctl reads a kernel setting by its sysctl name, on Linux.
func readSysctl(key string) (string, error) {
	if runtime.GOOS != "linux" {
		return "", errors.New("not Linux")
	}
	b, err := os.ReadFile("/proc/sys/" + strings.ReplaceAll(key, ".", "/"))
	return string(b), err
}

func gib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
}
