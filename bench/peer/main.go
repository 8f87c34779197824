// Command peer measures devstack against its peers on this machine, side by side, by hand
// (not in CI; see docs/benchmarks.md):
//
//	go run . -devstack ../../bin/devstack -rounds 3          # up: testcontainers-go vs devstack up
//	go run . -devstack ../../bin/devstack -mode down -rounds 3 # down: devstack down vs docker-compose down
//
// up, each round, in this order: testcontainers-go v0.45.0 starts the five services in
// parallel with its modules' wait strategies (a child process, timed from its exec until
// it exits with all five ready); devstack up in a fresh project (a new directory: new
// secrets, no container, volume or network; images present); devstack down (volumes
// kept), then devstack up again: warm (images and initialised volumes present, no
// container, no network). Each service's time is when its "ready" line reached the
// harness, from the exec of the command.
//
// down, each round: devstack up (untimed), then devstack down (five containers and the
// network; volumes kept) timed; then docker-compose (v1) up -d of an equivalent compose
// file, a settle delay, and docker-compose down (containers and network; volumes kept)
// timed.
//
// Each round holds an exclusive flock on -lock (the shared e2e lock) while it touches the
// engine, and leaves nothing behind. Set DEVSTACK_IMAGE_<SERVICE> as for the tests.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

var serviceNames = []string{"redis", "postgres", "rabbitmq", "opensearch", "minio"}

type options struct {
	mode     string
	rounds   int
	devstack string
	offset   int
	lock     string
	settle   time.Duration
	json     bool
	trace    bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "tc-child" {
		// Ryuk cannot be pulled here; the harness removes what the child made.
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
		if err := runTC(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "tc:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.mode, "mode", "up", "up (testcontainers-go vs devstack up) or down (docker-compose down vs devstack down)")
	flag.IntVar(&o.rounds, "rounds", 3, "how many rounds")
	flag.StringVar(&o.devstack, "devstack", "../../bin/devstack", "the built devstack binary (make build)")
	flag.IntVar(&o.offset, "offset", 27000, "devstack's port offset, away from any running stack")
	flag.StringVar(&o.lock, "lock", "/tmp/devstack-e2e.lock", "file to flock while a round touches the engine; empty: none")
	flag.DurationVar(&o.settle, "settle", 12*time.Second, "down mode: wait after docker-compose up -d before timing its down (it has no readiness wait)")
	flag.BoolVar(&o.json, "json", false, "print the results as JSON")
	flag.BoolVar(&o.trace, "trace", false, "up mode: after the table, each devstack run's timeline: its progress lines and the engine's events (docker events), from its exec")
	flag.Parse()
	if o.rounds < 1 || (o.mode != "up" && o.mode != "down") {
		fmt.Fprintln(os.Stderr, "peer: -rounds must be ≥ 1 and -mode up or down")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	bin, err := filepath.Abs(o.devstack)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("devstack binary: %w (run make build)", err)
	}
	o.devstack = bin
	self, err := os.Executable()
	if err != nil {
		return err
	}
	res := &Result{Mode: o.mode}
	for n := 1; n <= o.rounds; n++ {
		var round Round
		err := withLock(o.lock, func() error {
			var err error
			if o.mode == "up" {
				round, err = upRound(ctx, o, self)
			} else {
				round, err = downRound(ctx, o)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("round %d: %w", n, err)
		}
		round.N = n
		res.Rounds = append(res.Rounds, round)
		if !o.json {
			fmt.Fprintf(os.Stderr, "round %d done\n", n)
		}
	}
	res.summarise()
	if o.json {
		return res.writeJSON(os.Stdout)
	}
	res.writeTable(os.Stdout)
	if o.trace {
		res.writeTraces(os.Stdout)
	}
	return nil
}

// withLock holds an exclusive flock on path while f runs: other agents' e2e runs and this
// round never share the engine and its ports.
func withLock(path string, f func() error) error {
	if path == "" {
		return f()
	}
	fd, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer fd.Close()
	if err := syscall.Flock(int(fd.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", path, err)
	}
	defer syscall.Flock(int(fd.Fd()), syscall.LOCK_UN)
	return f()
}
