package checks

import (
	"context"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
)

// DefaultTimeout bounds each probe: long enough for a cold pyenv shim or npm on a slow
// disk, short enough that a hung tool does not hold the whole doctor.
const DefaultTimeout = 10 * time.Second

// Options are what doctor needs besides the configuration; tests swap the engine.
type Options struct {
	Timeout time.Duration
	// EngineInfo asks the Docker engine about itself; nil connects to the real one.
	EngineInfo func(ctx context.Context) (engine.Info, error)
	Getenv     func(string) string
	// Extra checks that other packages contribute (the port plan), run alongside the rest
	// and listed last.
	Extra []func(ctx context.Context) Result
}

// Report is the outcome of doctor: every check, in a fixed order.
type Report struct {
	OK     bool     `json:"ok"` // no required check failed
	Checks []Result `json:"checks"`
	// Note says what the tool checks were measured against when that is not the
	// project's own word (no devstack.yaml).
	Note string `json:"note,omitempty"`
}

// NoFileNote is doctor's note when the project has no devstack.yaml.
const NoFileNote = "no devstack.yaml: nothing says which tools this project needs, so the tools were checked " +
	"against the default stack's (Invenio's) as advice, and none of them can fail; " +
	"devstack init --preset NAME writes a devstack.yaml that says what the project needs"

// Doctor runs every check at once and returns them in a fixed order: tools as
// configured, then the engine's checks, then the host's, then the extras.
func Doctor(ctx context.Context, cfg *config.Config, opts Options) *Report {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.EngineInfo == nil {
		opts.EngineInfo = connectedInfo(opts.Getenv)
	}
	h := realHost(opts.Getenv)

	var jobs []func() []Result
	for _, t := range cfg.Tools {
		jobs = append(jobs, func() []Result { return []Result{probeTool(ctx, t, opts.Timeout, h)} })
	}
	docker, _ := cfg.Tool("docker")
	jobs = append(jobs, func() []Result {
		ictx, cancel := context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
		info, err := opts.EngineInfo(ictx)
		return engineChecks(info, err, dockerConstraint{text: docker.Constraint, check: docker.Check}, runtime.GOOS, realPodmanHost(opts.Getenv))
	})
	if runtime.GOOS == "linux" { // every host check so far is a Linux kernel setting
		for _, s := range cfg.Services {
			for _, hc := range s.HostChecks {
				jobs = append(jobs, func() []Result { return []Result{sysctlCheck(hc, readSysctl)} })
			}
		}
	}
	if res, ok := vulnerabilitiesCheck(cfg); ok {
		jobs = append(jobs, func() []Result { return []Result{res} })
	}
	for _, extra := range opts.Extra {
		jobs = append(jobs, func() []Result { return []Result{extra(ctx)} })
	}

	groups := make([][]Result, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { groups[i] = job() })
	}
	wg.Wait()

	r := &Report{OK: true}
	if cfg.File == "" {
		r.Note = NoFileNote
	}
	for _, g := range groups {
		for _, res := range g {
			if res.Status == output.Fail {
				r.OK = false
			}
			r.Checks = append(r.Checks, res)
		}
	}
	return r
}

func connectedInfo(getenv func(string) string) func(context.Context) (engine.Info, error) {
	return func(ctx context.Context) (engine.Info, error) {
		c, err := engine.Connect(getenv)
		if err != nil {
			return engine.Info{}, err
		}
		defer c.Close()
		return c.Info(ctx)
	}
}
