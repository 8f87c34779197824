package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Run is one timed command: each service's ready time and the command's own, in seconds
// from its exec.
type Run struct {
	Side     string             `json:"side"`
	Services map[string]float64 `json:"services"`
	All      float64            `json:"all"`
	Trace    []string           `json:"trace,omitempty"` // with -trace: engine events and progress lines

	start, end time.Time
}

// timed runs cmd, timestamps the lines of the chosen stream as they arrive, and records
// for each service when re matched a line naming it (re's first group). All is when the
// command exited, successfully.
func timed(cmd *exec.Cmd, fromStderr bool, re *regexp.Regexp) (Run, []byte, error) {
	r := Run{Services: map[string]float64{}}
	r.start = time.Now()
	var rest bytes.Buffer
	pr, pw := io.Pipe()
	if fromStderr {
		cmd.Stderr, cmd.Stdout = pw, &rest
	} else {
		cmd.Stdout, cmd.Stderr = pw, &rest
	}
	var lines bytes.Buffer
	var mu sync.Mutex
	done := make(chan struct{})
	start := r.start
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			at := time.Since(start).Seconds()
			mu.Lock()
			fmt.Fprintf(&lines, "%+8.3fs  %s\n", at, sc.Text())
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				r.Services[m[1]] = at
			}
			mu.Unlock()
		}
		io.Copy(io.Discard, pr)
	}()
	err := cmd.Start()
	if err == nil {
		err = cmd.Wait()
	}
	r.All = time.Since(start).Seconds()
	r.end = time.Now()
	pw.Close()
	<-done
	out := append(lines.Bytes(), rest.Bytes()...)
	if err != nil {
		return r, out, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	for _, s := range serviceNames {
		if _, ok := r.Services[s]; !ok {
			return r, out, fmt.Errorf("%s: no ready line for %s\n%s", strings.Join(cmd.Args, " "), s, out)
		}
	}
	return r, out, nil
}

var (
	devstackReady = regexp.MustCompile(`^(\w+)\s+ready in `)
	tcReady       = regexp.MustCompile(`^ready (\w+)$`)
)

// project is a fresh devstack project directory: its own config, secrets and state.
func newProject(o options) (string, error) {
	dir, err := os.MkdirTemp("", "devstack-peer-")
	if err != nil {
		return "", err
	}
	yaml := fmt.Sprintf("project: benchpeer\noffset: %d\n", o.offset)
	return dir, os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644)
}

func devstackCmd(ctx context.Context, o options, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, o.devstack, append(args, "--no-color")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return cmd
}

func devstackQuiet(ctx context.Context, o options, dir string, args ...string) error {
	if out, err := devstackCmd(ctx, o, dir, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("devstack %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func upRound(ctx context.Context, o options, self string) (Round, error) {
	round := Round{}
	child := exec.CommandContext(ctx, self, "tc-child")
	// Ryuk cannot be pulled here. In a container (/.dockerenv), testcontainers dials the
	// default gateway instead of the published ports on this host: point it back here.
	child.Env = append(os.Environ(), "TESTCONTAINERS_RYUK_DISABLED=true", "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1")
	tc, _, err := timed(child, false, tcReady)
	cleanTC()
	if err != nil {
		return round, err
	}
	tc.Side = "testcontainers-go"
	dir, err := newProject(o)
	if err != nil {
		return round, err
	}
	defer os.RemoveAll(dir)
	defer devstackQuiet(context.WithoutCancel(ctx), o, dir, "down", "--volumes")
	fresh, out, err := timed(devstackCmd(ctx, o, dir, "up"), true, devstackReady)
	if err != nil {
		return round, err
	}
	fresh.Side = "devstack fresh"
	if o.trace {
		fresh.Trace = trace(fresh, out)
	}
	if err := devstackQuiet(ctx, o, dir, "down"); err != nil {
		return round, err
	}
	warm, out, err := timed(devstackCmd(ctx, o, dir, "up"), true, devstackReady)
	if err != nil {
		return round, err
	}
	warm.Side = "devstack warm"
	if o.trace {
		warm.Trace = trace(warm, out)
	}
	round.Runs = []Run{tc, fresh, warm}
	return round, nil
}

// cleanTC removes what the testcontainers child made, with its anonymous volumes: the
// child leaves its containers (Ryuk, which would reap them, is disabled).
func cleanTC() {
	out, _ := exec.Command("docker", "ps", "-aq", "--filter", "label="+tcLabel).Output()
	ids := strings.Fields(string(out))
	if len(ids) > 0 {
		exec.Command("docker", append([]string{"rm", "-f", "-v"}, ids...)...).Run()
	}
}

func downRound(ctx context.Context, o options) (Round, error) {
	round := Round{}
	dir, err := newProject(o)
	if err != nil {
		return round, err
	}
	defer os.RemoveAll(dir)
	defer devstackQuiet(context.WithoutCancel(ctx), o, dir, "down", "--volumes")
	if err := devstackQuiet(ctx, o, dir, "up"); err != nil {
		return round, err
	}
	start := time.Now()
	if err := devstackQuiet(ctx, o, dir, "down"); err != nil {
		return round, err
	}
	ds := Run{Side: "devstack down", All: time.Since(start).Seconds()}

	file := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(file, []byte(composeFile(o.offset+1000)), 0o644); err != nil {
		return round, err
	}
	compose := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "docker-compose", append([]string{"-p", "benchpeercompose", "-f", file}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("docker-compose %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	defer compose("down", "--volumes")
	if err := compose("up", "-d"); err != nil {
		return round, err
	}
	select {
	case <-time.After(o.settle):
	case <-ctx.Done():
		return round, ctx.Err()
	}
	start = time.Now()
	if err := compose("down"); err != nil {
		return round, err
	}
	round.Runs = []Run{{Side: "docker-compose down", All: time.Since(start).Seconds()}, ds}
	return round, nil
}

// composeFile is the five services as devstack runs them (same images, environment,
// commands, hostnames, volumes at the same paths, ports on 127.0.0.1), under another
// offset. OpenSearch has no ulimits: this engine refuses them, and devstack drops them.
func composeFile(offset int) string {
	img := func(s string) string { return image(strings.ToUpper(s)) }
	return fmt.Sprintf(`version: "3.8"
services:
  redis:
    image: %s
    hostname: redis
    command: ["redis-server", "--dir", "/data", "--appendonly", "yes", "--requirepass", "bench"]
    ports: ["127.0.0.1:%d:6379"]
    volumes: ["redis:/data"]
  postgres:
    image: %s
    hostname: postgres
    environment: {POSTGRES_USER: devstack, POSTGRES_PASSWORD: bench, POSTGRES_DB: benchpeer}
    ports: ["127.0.0.1:%d:5432"]
    volumes: ["postgres:/var/lib/postgresql/data"]
  rabbitmq:
    image: %s
    hostname: rabbitmq
    environment: {RABBITMQ_DEFAULT_USER: devstack, RABBITMQ_DEFAULT_PASS: bench}
    ports: ["127.0.0.1:%d:5672", "127.0.0.1:%d:15672"]
    volumes: ["rabbitmq:/var/lib/rabbitmq"]
  opensearch:
    image: %s
    hostname: opensearch
    environment: {discovery.type: single-node, DISABLE_SECURITY_PLUGIN: "true", DISABLE_INSTALL_DEMO_CONFIG: "true", OPENSEARCH_JAVA_OPTS: "-Xms512m -Xmx512m"}
    ports: ["127.0.0.1:%d:9200", "127.0.0.1:%d:9600"]
    volumes: ["opensearch:/usr/share/opensearch/data"]
  minio:
    image: %s
    hostname: minio
    command: ["server", "/data", "--console-address", ":9001"]
    environment: {MINIO_ROOT_USER: devstack, MINIO_ROOT_PASSWORD: benchbench}
    ports: ["127.0.0.1:%d:9000", "127.0.0.1:%d:9001"]
    volumes: ["minio:/data"]
volumes: {redis: {}, postgres: {}, rabbitmq: {}, opensearch: {}, minio: {}}
`, img("redis"), 6379+offset, img("postgres"), 5432+offset, img("rabbitmq"), 5672+offset, 15672+offset,
		img("opensearch"), 9200+offset, 9600+offset, img("minio"), 9000+offset, 9001+offset)
}
