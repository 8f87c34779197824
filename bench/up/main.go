// Command up measures devstack up on this machine, by hand (not in CI):
//
//	go run ./bench/up -rounds 3
//
// Each round, on fresh volumes: (1) the five services' containers are started by hand,
// all at once as up starts them, and each service's own readiness probe is polled every
// 5 ms: the time from its create to its answer is its own readiness; (2) the built devstack up
// brings a fresh stack to all-ready; (3) a second devstack up on the ready stack (no-op).
// Targets (issue 4): all-ready within 0.5 s of the slowest own readiness; no-op under 0.5 s.
// Set DEVSTACK_IMAGE_<SERVICE> as for the tests (offline images on this machine).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/probe"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

func main() {
	rounds := flag.Int("rounds", 3, "how many rounds")
	offset := flag.Int("offset", 27000, "port offset, away from any running stack")
	flag.Parse()
	if err := run(*rounds, *offset); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(rounds, offset int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "devstack-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "devstack")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/devstack").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	yaml := fmt.Sprintf("project: bench\noffset: %d\n", offset)
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
		return err
	}
	eng, err := engine.Connect(nil)
	if err != nil {
		return err
	}
	defer eng.Close()
	cfg, err := config.Load(config.Options{Dir: dir})
	if err != nil {
		return err
	}
	secrets, err := state.LoadSecrets(dir)
	if err != nil {
		return err
	}

	var slowestOwn, allReady, gaps, noop []float64
	for round := 1; round <= rounds; round++ {
		own, err := ownReadiness(ctx, eng, cfg, secrets)
		if err != nil {
			return err
		}
		worst := slices.Max(own.values())
		devstack(bin, dir, "down", "--volumes")
		start := time.Now()
		if out, err := devstack(bin, dir, "up"); err != nil {
			return fmt.Errorf("up: %v\n%s", err, out)
		}
		up := time.Since(start).Seconds()
		start = time.Now()
		if out, err := devstack(bin, dir, "up"); err != nil {
			return fmt.Errorf("no-op up: %v\n%s", err, out)
		}
		again := time.Since(start).Seconds()
		devstack(bin, dir, "down", "--volumes")
		fmt.Printf("round %d: own readiness %s; slowest %.2fs; devstack up all-ready %.2fs (gap %+.2fs); no-op up %.3fs\n",
			round, own, worst, up, up-worst, again)
		slowestOwn, allReady, gaps, noop = append(slowestOwn, worst), append(allReady, up), append(gaps, up-worst), append(noop, again)
	}
	fmt.Printf("median of %d rounds: slowest own readiness %.2fs, devstack up all-ready %.2fs, gap %+.2fs (target ≤ +0.50s), no-op up %.3fs (target < 0.5s)\n",
		rounds, median(slowestOwn), median(allReady), median(gaps), median(noop))
	return nil
}

func devstack(bin, dir string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// timings are seconds to ready by service, in plan order.
type timings struct {
	order []string
	secs  map[string]float64
}

func (t timings) values() []float64 {
	var v []float64
	for _, x := range t.secs {
		v = append(v, x)
	}
	return v
}

func (t timings) String() string {
	s := ""
	for _, name := range t.order {
		s += fmt.Sprintf("%s %.2fs ", name, t.secs[name])
	}
	return s
}

// ownReadiness starts the services' containers by hand, with the same specs up uses but
// another project name, and polls each probe every 5 ms; each is timed from its create,
// as a `docker run` by hand would be.
func ownReadiness(ctx context.Context, eng *engine.Client, cfg *config.Config, secrets *state.Secrets) (timings, error) {
	own := *cfg
	own.Project = "bench-own"
	own.Identity = config.Identity{ID: own.Project, Name: own.Project}
	pl, err := plan.New(&own, secrets)
	if err != nil {
		return timings{}, err
	}
	units := pl.Units
	if err := eng.EnsureNetwork(ctx, plan.NetworkName(own.Project), plan.Labels(own.Identity, "")); err != nil {
		return timings{}, err
	}
	defer func() {
		list, _ := eng.List(ctx, own.Project)
		for _, c := range list {
			_ = eng.Remove(ctx, c.ID)
		}
		vols, _ := eng.Volumes(ctx, own.Project)
		for _, v := range vols {
			_ = eng.RemoveVolume(ctx, v)
		}
		_, _, _ = eng.RemoveNetwork(ctx, plan.NetworkName(own.Project), own.Project)
	}()
	out := timings{secs: map[string]float64{}}
	for _, u := range units {
		out.order = append(out.order, u.Name())
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(units))
	for i, u := range units {
		wg.Go(func() {
			_ = eng.EnsureVolume(ctx, u.Spec.Volume, plan.Labels(own.Identity, u.Name()))
			// From the by-hand `docker run`: create and start count, as they do in up.
			start := time.Now()
			spec := u.Spec
			id, err := eng.Create(ctx, spec)
			if err == nil {
				err = eng.Start(ctx, id)
			}
			if err != nil {
				// This engine cannot raise OpenSearch's ulimits: measure it as up runs it.
				_ = eng.Remove(ctx, id)
				spec.Ulimits = nil
				if id, err = eng.Create(ctx, spec); err == nil {
					err = eng.Start(ctx, id)
				}
			}
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", u.Name(), err)
				return
			}
			st, err := probe.Build(u.Probe)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", u.Name(), err)
				return
			}
			deadline := start.Add(3 * time.Minute)
			for time.Now().Before(deadline) {
				pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
				err = st.Check(pctx, u.Target(func(ctx context.Context, cmd []string) (int, []byte, error) { return eng.Exec(ctx, id, cmd) }))
				cancel()
				if err == nil {
					mu.Lock()
					out.secs[u.Name()] = time.Since(start).Seconds()
					mu.Unlock()
					return
				}
				time.Sleep(5 * time.Millisecond) // a tight poll: this is the yardstick
			}
			errs[i] = fmt.Errorf("%s: not ready in 3 minutes: %v", u.Name(), err)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return timings{}, err
		}
	}
	return out, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
