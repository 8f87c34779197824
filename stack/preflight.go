package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/preflight"
	"github.com/devstack-dev/devstack/services/engine"
)

// cpuReader reads /proc/cpuinfo of the engine's host (*engine.Client); an engine that
// cannot is not checked.
type cpuReader interface {
	HostCPUInfo(ctx context.Context, image string) ([]byte, string, error)
}

// PlatformVerdict is one planned service's image judged against the CPU of the engine's
// host.
type PlatformVerdict struct {
	Service string `json:"service"`
	preflight.Verdict
	How string `json:"how,omitempty"` // where the cpuinfo was read
	env string
}

// PlatformError refuses up before a container is created: a service's image needs more
// of the CPU than the engine's host has, and would die with "Illegal instruction".
type PlatformError struct{ Refused []PlatformVerdict }

func (e *PlatformError) Error() string {
	var parts []string
	for _, v := range e.Refused {
		parts = append(parts, fmt.Sprintf("%s: %s (checked from %s)", v.Service, v.Reason, v.How))
	}
	return strings.Join(parts, "; ")
}

// Hint says, per service, what to run instead and where to set it.
func (e *PlatformError) Hint() string {
	var lines []string
	for _, v := range e.Refused {
		lines = append(lines, fmt.Sprintf("%s: %s; set it with image: under services.%s in devstack.yaml, or %s=IMAGE",
			v.Service, v.Fix, v.Service, v.env))
	}
	return strings.Join(lines, "\n")
}

// hostCPU reads the engine host's cpuinfo at most once per command; a read that failed
// (a remote engine, before the image it reads with is pulled) is tried again.
type hostCPU struct {
	cpu  preflight.CPU
	how  string
	err  error
	read bool
}

func (h *hostCPU) get(ctx context.Context, r cpuReader, image string) error {
	if h.read && h.err == nil {
		return nil
	}
	data, how, err := r.HostCPUInfo(ctx, image)
	h.cpu, h.how, h.err, h.read = preflight.ParseCPUInfo(data), how, err, true
	return err
}

// judgePlatform weighs each unit's image against its CPU floors. images holds what the
// engine knows of each image (nil when it is not at hand): its version variable and the
// architecture of the build it would run. The cpuinfo is read only when some image has
// a floor.
func judgePlatform(ctx context.Context, eng Engine, units []plan.Unit, images map[string]*engine.Image, host *hostCPU) ([]PlatformVerdict, error) {
	reader, ok := eng.(cpuReader)
	var out []PlatformVerdict
	for _, u := range units {
		img := images[u.Spec.Image]
		var env map[string]string
		arch := ""
		if img != nil {
			env, arch = img.Env, img.Architecture
		}
		floors := preflight.FloorsFor(u.Spec.Image, env)
		if len(floors) == 0 || !ok {
			continue
		}
		if err := host.get(ctx, reader, u.Spec.Image); errors.Is(err, context.Canceled) {
			return nil, err
		}
		v := PlatformVerdict{Service: u.Name(), Verdict: preflight.Judge(u.Spec.Image, floors, arch, host.cpu), How: host.how, env: u.Service.ImageEnv()}
		if host.err != nil {
			v.Status, v.Reason, v.How = preflight.Unknown, "cannot read the CPU of the engine's host: "+host.err.Error(), ""
		}
		out = append(out, v)
	}
	return out, nil
}

// checkPlatform is up's refusal: every image with a floor the host's CPU lacks. Before
// the pulls (final false) it refuses what it can already tell, so that nobody waits for
// a large image only to be refused; after them (final true) it also warns about what
// it could not tell.
func checkPlatform(ctx context.Context, eng Engine, units []plan.Unit, images map[string]*engine.Image, host *hostCPU, final bool) (map[string]string, error) {
	verdicts, err := judgePlatform(ctx, eng, units, images, host)
	if err != nil {
		return nil, err
	}
	warnings := map[string]string{}
	var refused []PlatformVerdict
	for _, v := range verdicts {
		switch v.Status {
		case preflight.Refuse:
			refused = append(refused, v)
		case preflight.Unknown:
			warnings[v.Service] = fmt.Sprintf("needs %s; %s, so it was not checked", v.Need, v.Reason)
		}
	}
	if len(refused) > 0 {
		return nil, &PlatformError{Refused: refused}
	}
	if !final {
		return nil, nil
	}
	return warnings, nil
}

// PlannedPlatform judges the planned images against the engine host's CPU, for doctor:
// it pulls nothing; an image not at hand is judged by its tag, as the host's build.
func PlannedPlatform(ctx context.Context, eng Engine, pl *plan.Plan) ([]PlatformVerdict, error) {
	images := map[string]*engine.Image{}
	for _, u := range pl.Units {
		if !HasFloor(u.Spec.Image) {
			continue
		}
		img, err := eng.Image(ctx, u.Spec.Image)
		if err != nil && !errors.Is(err, engine.ErrNotFound) {
			return nil, err
		}
		images[u.Spec.Image] = img
	}
	return judgePlatform(ctx, eng, pl.Units, images, &hostCPU{})
}

// HasFloor says whether an image's family has any CPU floor, whatever its version.
func HasFloor(image string) bool {
	repo := preflight.Repo(image)
	for _, f := range preflight.Floors {
		for _, r := range f.Repos {
			if r == repo {
				return true
			}
		}
	}
	return false
}

// advisoryWarnings are, by service, the known vulnerabilities of the planned images that
// the project has not acknowledged: up says each once per run until it has.
func advisoryWarnings(units []plan.Unit) map[string][]string {
	out := map[string][]string{}
	for _, u := range units {
		for _, a := range preflight.AdvisoriesFor(u.Spec.Image) {
			if u.Acknowledges(a.ID) != "" {
				continue
			}
			out[u.Name()] = append(out[u.Name()], fmt.Sprintf("image %s has a known vulnerability, %s: %s; %s",
				u.Spec.Image, a.ID, a.Summary, strings.Replace(a.Advice, "under the service", "under services."+u.Name(), 1)))
		}
	}
	return out
}
