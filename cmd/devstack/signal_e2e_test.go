//go:build e2e

package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/output"
)

// TestDoctorInterrupted: a signal while tools are probed ends doctor with the signal's
// exit code and no report, rather than a report of every tool "failing" because it was
// killed.
func TestDoctorInterrupted(t *testing.T) {
	tests := []struct {
		name string
		sig  syscall.Signal
		code int
		word string
	}{
		{"ctrl-c", syscall.SIGINT, 130, "interrupted"},
		{"sigterm", syscall.SIGTERM, 143, "terminated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := fakeTools(t, with(healthy, map[string]string{"git": "hang"}))
			cmd := exec.Command(binary, "doctor", "--timeout", "30s")
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + bin, "HOME=" + dir}
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(700 * time.Millisecond) // the probes are running, git hangs
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.code {
				t.Fatalf("exit %v, want %d\nstdout: %s\nstderr: %s", err, tt.code, out.String(), errb.String())
			}
			if out.Len() != 0 {
				t.Errorf("a report of killed probes was printed:\n%s", out.String())
			}
			if !strings.Contains(errb.String(), tt.word) {
				t.Errorf("stderr does not say %q: %s", tt.word, errb.String())
			}
		})
	}
}

// TestDumbTerminalGetsNoColour: TERM=dumb is a terminal that cannot show colour; the
// same error on a capable terminal is coloured, so the test can tell the two apart.
func TestDumbTerminalGetsNoColour(t *testing.T) {
	for _, term := range []string{"xterm-256color", "dumb"} {
		t.Run(term, func(t *testing.T) {
			t.Setenv("TERM", term)
			t.Setenv("NO_COLOR", "")
			streams, _, errb := output.Test()
			streams.OutTTY, streams.ErrTTY = true, true
			code := Run(context.Background(), []string{"devstack", "ports", "--output", "yaml"}, streams)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, errb)
			}
			coloured := strings.Contains(errb.String(), "\x1b[")
			if coloured != (term != "dumb") {
				t.Fatalf("TERM=%s: coloured=%v: %q", term, coloured, errb.String())
			}
		})
	}
}
