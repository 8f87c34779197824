//go:build e2e

package main

// End-to-end tests of the files devstack writes and of the project lock. None needs the
// Docker engine: init and env work without one.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/state"
)

func writeProject(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "devstack.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Ctrl-C while init --from-machine probes the tools: exit 130, and no file written.
func TestInitFromMachineInterrupted(t *testing.T) {
	dir := t.TempDir()
	bin := fakeTools(t, with(healthy, map[string]string{"git": "hang"}))
	cmd := exec.Command(binary, "init", "--from-machine")
	cmd.Dir, cmd.Env = dir, []string{"PATH=" + bin, "HOME=" + dir}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
	}
	for _, name := range []string{"devstack.yaml", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s written after Ctrl-C", name)
		}
	}
}

// init in a directory named null wrote `project: null`, and every command then exited 2.
func TestInitInADirectoryNamedNull(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "null")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	inv := invocation{dir: dir}
	if r := inv.run(t, "init"); r.code != 0 {
		t.Fatalf("init: exit %d %s", r.code, r.stderr)
	}
	r := inv.run(t, "env", "--format", "json")
	var env map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &env); r.code != 0 || err != nil || env["S3_BUCKET"] != "null" {
		t.Fatalf("env: exit %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
}

// A second command waits for the first, saying whom it waits for, then goes on.
func TestSecondCommandWaitsForTheLock(t *testing.T) {
	dir := writeProject(t, "services:\n  postgres:\n")
	held, err := state.LockProject(context.Background(), dir, state.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "env")
	cmd.Dir = dir
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("waiting for devstack (pid %d) to finish in this project", os.Getpid())
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), want) {
		if time.Now().After(deadline) {
			held.Release()
			cmd.Wait()
			t.Fatalf("no %q on stderr: %q", want, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if stdout.String() != "" {
		t.Fatalf("env ran while the lock was held: %q", stdout.String())
	}
	held.Release()
	if err := cmd.Wait(); err != nil || !strings.Contains(stdout.String(), "DATABASE_URL=") {
		t.Fatalf("after the lock was released: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
}

// Ctrl-C while waiting for the lock: exit 130, nothing written.
func TestCtrlCWhileWaitingForTheLock(t *testing.T) {
	dir := writeProject(t, "services:\n  postgres:\n")
	held, err := state.LockProject(context.Background(), dir, state.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	cmd := exec.Command(binary, "env")
	cmd.Dir = dir
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && !strings.Contains(stderr.String(), "waiting for devstack"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, ".devstack", "secrets.env")); err == nil {
		t.Fatal("secrets written after Ctrl-C")
	}
}

// Many commands at once in one project agree on the credentials they make.
func TestConcurrentCommandsAgreeOnSecrets(t *testing.T) {
	for round := 0; round < 3; round++ {
		dir := writeProject(t, "services:\n  postgres:\n  redis:\n  minio:\n")
		const n = 6
		outs := make([]map[string]string, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(binary, "env", "--format", "json")
				cmd.Dir = dir
				out, err := cmd.Output()
				if err != nil {
					t.Errorf("env %d: %v", i, err)
					return
				}
				if err := json.Unmarshal(out, &outs[i]); err != nil {
					t.Errorf("env %d: %v %s", i, err, out)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		for i := 1; i < n; i++ {
			for _, k := range []string{"DATABASE_URL", "REDIS_URL", "S3_SECRET_ACCESS_KEY"} {
				if outs[i][k] != outs[0][k] || outs[i][k] == "" {
					t.Fatalf("round %d: command %d has %s different from command 0: the secrets diverged", round, i, k)
				}
			}
		}
	}
}

// A value that no .env reader could read back safely is refused, naming the key only.
func TestEnvRefusesAnUnsafeValue(t *testing.T) {
	dir := writeProject(t, "services:\n  minio:\n    env:\n      MINIO_ROOT_PASSWORD: \"it's\\n`touch pwned`\"\n")
	r := invocation{dir: dir}.run(t, "env")
	if r.code != 2 || !strings.Contains(r.stderr, "S3_SECRET_ACCESS_KEY") || strings.Contains(r.stderr, "pwned") || !strings.Contains(r.stderr, "fix:") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := (invocation{dir: dir}).run(t, "env", "--format", "shell"); r.code != 0 || !strings.Contains(r.stdout, `export S3_SECRET_ACCESS_KEY='it'\''s`) {
		t.Fatalf("shell form holds any value but NUL: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
