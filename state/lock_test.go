package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLockWaitsNamesTheHolderAndGivesUp(t *testing.T) {
	root := t.TempDir()
	held, err := LockProject(context.Background(), root, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var told []int
	_, err = LockProject(context.Background(), root, LockOptions{Wait: 300 * time.Millisecond, Waiting: func(pid int) { told = append(told, pid) }})
	var he *HeldError
	if !errors.As(err, &he) || he.PID != os.Getpid() || !strings.Contains(he.Error(), strconv.Itoa(os.Getpid())) || he.Hint() == "" {
		t.Fatalf("err = %v; want a HeldError naming pid %d with a fix", err, os.Getpid())
	}
	if len(told) != 1 || told[0] != os.Getpid() {
		t.Fatalf("Waiting called with %v; want once with %d", told, os.Getpid())
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := LockProject(ctx, root, LockOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("after Ctrl-C: err = %v; want context.Canceled", err)
	}

	released := make(chan struct{})
	time.AfterFunc(200*time.Millisecond, func() { held.Release(); close(released) })
	next, err := LockProject(context.Background(), root, LockOptions{Wait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	<-released
	next.Release()
}

// A repository that ships .devstack/lock as a link must not get a user's file truncated.
func TestLockRefusesALinkedLockFile(t *testing.T) {
	root := t.TempDir()
	victim := filepath.Join(root, "notes.txt")
	if err := os.WriteFile(victim, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, Dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../notes.txt", filepath.Join(root, Dir, "lock")); err != nil {
		t.Fatal(err)
	}
	if l, err := LockProject(context.Background(), root, LockOptions{}); err == nil {
		l.Release()
		t.Fatal("a linked lock file was used")
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep me\n" {
		t.Fatalf("the link's target changed: %q", got)
	}
}

// update is what every state-writing command does: lock, read the state again, change
// it, save. Under the lock, concurrent commands agree on the secrets and lose no record.
func update(root string, i int) (string, error) {
	l, err := LockProject(context.Background(), root, LockOptions{Wait: time.Minute})
	if err != nil {
		return "", err
	}
	defer l.Release()
	s, err := LoadSecrets(root)
	if err != nil {
		return "", err
	}
	pw := s.Get("POSTGRES_PASSWORD")
	s.Get(fmt.Sprintf("KEY_%d", i))
	if err := s.Save(); err != nil {
		return "", err
	}
	a, err := LoadApplied(root)
	if err != nil {
		return "", err
	}
	return pw, a.Record(fmt.Sprintf("fixture-%d", i), "postgres", "vol", "001.sql", "digest")
}

func checkConverged(t *testing.T, root string, n int, passwords []string) {
	t.Helper()
	for i, pw := range passwords {
		if pw != passwords[0] {
			t.Fatalf("command %d used password %q, command 0 %q: the secrets diverged", i, pw, passwords[0])
		}
	}
	s, err := LoadSecrets(root)
	if err != nil {
		t.Fatal(err)
	}
	if s.Get("POSTGRES_PASSWORD") != passwords[0] {
		t.Fatal("the saved password is not the one the commands used")
	}
	a, err := LoadApplied(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if d, ok := a.Digest(fmt.Sprintf("fixture-%d", i), "postgres", "vol", "001.sql"); !ok || d != "digest" {
			t.Errorf("record of fixture-%d lost", i)
		}
		if _, ok := s.values[fmt.Sprintf("KEY_%d", i)]; !ok {
			t.Errorf("secret KEY_%d lost", i)
		}
	}
}

func TestConcurrentCommandsInOneProcess(t *testing.T) {
	for round := 0; round < 5; round++ {
		root := t.TempDir()
		const n = 24
		passwords := make([]string, n)
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pw, err := update(root, i)
				passwords[i] = pw
				if err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		checkConverged(t, root, n, passwords)
	}
}

// The same through separate processes, as two terminals would run devstack.
func TestConcurrentCommandsInSeparateProcesses(t *testing.T) {
	if root := os.Getenv("DEVSTACK_STATE_CHILD_ROOT"); root != "" {
		i, _ := strconv.Atoi(os.Getenv("DEVSTACK_STATE_CHILD_INDEX"))
		pw, err := update(root, i)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("password=%s\n", pw)
		return
	}
	for round := 0; round < 3; round++ {
		root := t.TempDir()
		const n = 8
		passwords := make([]string, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentCommandsInSeparateProcesses$", "-test.count=1")
				cmd.Env = append(os.Environ(), "DEVSTACK_STATE_CHILD_ROOT="+root, "DEVSTACK_STATE_CHILD_INDEX="+strconv.Itoa(i))
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Errorf("child %d: %v\n%s", i, err, out)
					return
				}
				for _, line := range strings.Split(string(out), "\n") {
					if pw, ok := strings.CutPrefix(line, "password="); ok {
						passwords[i] = pw
					}
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		checkConverged(t, root, n, passwords)
	}
}
