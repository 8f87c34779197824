//go:build e2e

package main

// Helpers for end-to-end tests: they run the built binary as a user would.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/services/engine"
)

var binary string // built once by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "devstack-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "devstack")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build devstack:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	code   int
	stdout string
	stderr string
	took   time.Duration
}

// invocation says how to run the binary: in which directory, with what environment.
type invocation struct {
	dir string
	env []string // replaces the environment when set
	// extraEnv is added to the test process's environment when env is nil.
	extraEnv []string
}

func (inv invocation) run(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = inv.dir
	if inv.env != nil {
		cmd.Env = inv.env
	} else {
		cmd.Env = append(os.Environ(), inv.extraEnv...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run devstack %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// requireEngine makes a test that needs a Docker engine skip visibly when none answers,
// or fail when DEVSTACK_E2E=required (as in CI), where skipping would hide a broken run.
func requireEngine(t *testing.T) {
	t.Helper()
	c, err := engine.Connect(nil)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err = c.Info(ctx)
		c.Close()
	}
	if err == nil {
		return
	}
	if os.Getenv("DEVSTACK_E2E") == "required" {
		t.Fatalf("DEVSTACK_E2E=required but no Docker engine answers: %v", err)
	}
	t.Skipf("SKIPPED: no Docker engine answers (%v); run ../shared/tools/docker-engine.sh, or set DEVSTACK_E2E=required to make this a failure", err)
}
