package bootstrap

import (
	"context"

	"github.com/devstack-dev/devstack/checks"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/stack"
)

// DoctorOptions are what the doctor step needs besides the configuration.
type DoctorOptions struct {
	checks.Options // the tool and system probes; Timeout also bounds each engine check
	// Connect reaches the engine for the checks that ask it (images, cpu, ports); release
	// lets it go. nil: those checks are not run.
	Connect func(ctx context.Context) (eng stack.Engine, release func(), err error)
	// Ports adds the port plan's check, through the engine where it binds them (Remote:
	// the engine runs on another machine). bootstrap leaves it out: its ports step follows.
	Ports, Remote bool
}

// Doctor is the doctor step, for `devstack doctor` and bootstrap alike: every tool and
// system prerequisite, and, with an engine, whether the planned images can be had and
// run on its CPU, and (when asked) whether the planned ports are free. It reads the one
// plan the command resolved (placement included); none of its checks needs a secret, so
// `devstack doctor` resolves it with plan.NoSecrets.
func Doctor(ctx context.Context, pl *plan.Plan, opts DoctorOptions) *checks.Report {
	if opts.Timeout <= 0 {
		opts.Timeout = checks.DefaultTimeout
	}
	if opts.Connect != nil {
		opts.Extra = append(opts.Extra, engineChecks(pl, opts)...)
	}
	return checks.Doctor(ctx, pl.Config, opts.Options)
}

func engineChecks(pl *plan.Plan, opts DoctorOptions) []func(context.Context) checks.Result {
	var out []func(context.Context) checks.Result
	if opts.Ports {
		out = append(out, func(ctx context.Context) checks.Result {
			return checks.PortsResult(surveyPorts(ctx, pl.Ports, opts))
		})
	}
	out = append(out, func(ctx context.Context) checks.Result {
		ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
		return checks.ImagesResult(withEngine(ctx, opts, func(eng stack.Engine) ([]stack.ImageState, error) {
			return stack.PlannedImages(ctx, eng, pl)
		}))
	})
	if plansFloor(pl) {
		// Only when a planned image has a CPU floor (MongoDB): the check may run a container.
		out = append(out, func(ctx context.Context) checks.Result {
			ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
			defer cancel()
			return checks.PlatformResult(withEngine(ctx, opts, func(eng stack.Engine) ([]stack.PlatformVerdict, error) {
				return stack.PlannedPlatform(ctx, eng, pl)
			}))
		})
	}
	return out
}

// surveyPorts checks the configuration's port plan, asking the engine only when it must
// (a port is held, or the engine is remote): without an answer no port is known to be
// devstack's, and a remote engine's ports cannot be checked.
func surveyPorts(ctx context.Context, placed *ports.Plan, opts DoctorOptions) (*ports.Report, error) {
	return stack.SurveyPorts(ctx, placed, stack.ProbesConnecting(opts.Connect, opts.Remote), false)
}

func withEngine[T any](ctx context.Context, opts DoctorOptions, f func(stack.Engine) (T, error)) (T, error) {
	eng, release, err := opts.Connect(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer release()
	return f(eng)
}

// plansFloor says whether a planned image has a known CPU floor.
func plansFloor(pl *plan.Plan) bool {
	for _, u := range pl.Units {
		if stack.HasFloor(u.Spec.Image) {
			return true
		}
	}
	return false
}
