package state

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/userfile"
)

// DefaultLockWait is how long a command waits for another devstack in the same project:
// long enough for an up or a fixture load to finish, short enough that a stuck one is
// noticed.
const DefaultLockWait = 2 * time.Minute

const lockFileName = "lock"

// LockOptions say how long to wait for the project's lock and whom to tell.
type LockOptions struct {
	Wait time.Duration // 0: DefaultLockWait
	// Waiting is called once, when another process holds the lock, with its PID (0 when
	// unknown); cmd/devstack says so on stderr.
	Waiting func(pid int)
}

// Lock is the project's lock, held until Release. It is an advisory lock on
// .devstack/lock (flock on Unix): the kernel drops it when the process dies, so a crash
// never leaves a project locked.
type Lock struct{ f *os.File }

// HeldError is a lock another devstack kept for longer than this one would wait.
type HeldError struct {
	PID    int
	Waited time.Duration
}

func (e *HeldError) Error() string {
	who := "another devstack"
	if e.PID > 0 {
		who = fmt.Sprintf("devstack (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is still working in this project after %s", who, e.Waited.Round(time.Second))
}

// Hint says what to do about it.
func (e *HeldError) Hint() string {
	if e.PID > 0 {
		return fmt.Sprintf("wait for it to finish and run the command again, or stop it (kill %d)", e.PID)
	}
	return "wait for the other devstack command in this project to finish, then run this one again"
}

// LockProject takes the project's lock, waiting while another process holds it, until
// ctx ends or the wait is over. Read the project's state again after it returns: what was
// read before may have changed while waiting.
func LockProject(ctx context.Context, root string, opts LockOptions) (*Lock, error) {
	if opts.Wait <= 0 {
		opts.Wait = DefaultLockWait
	}
	if err := EnsureDir(root); err != nil {
		return nil, err
	}
	// The directory is confined; the file itself is opened without following a link.
	dir, err := userfile.Writable(root, Dir)
	if err != nil {
		return nil, fmt.Errorf("lock the project: %w", err)
	}
	path := filepath.Join(dir, lockFileName)
	f, err := openLockFile(path)
	if err != nil {
		return nil, fmt.Errorf("lock the project: %w", err)
	}
	deadline := time.NewTimer(opts.Wait)
	defer deadline.Stop()
	// Poll quickly at first (most holders finish within a moment), then back off.
	pause := 5 * time.Millisecond
	start, told := time.Now(), false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			l := &Lock{f: f}
			l.writePID()
			return l, nil
		}
		if !told && opts.Waiting != nil {
			opts.Waiting(holder(f))
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-deadline.C:
			pid := holder(f)
			f.Close()
			return nil, &HeldError{PID: pid, Waited: time.Since(start)}
		case <-time.After(pause):
			pause = min(2*pause, 50*time.Millisecond)
		}
	}
}

// Release lets the next command in. Closing the file drops the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0) // a stale PID would mislead the next waiter
	err := l.f.Close()
	l.f = nil
	return err
}

// writePID records the holder for whoever waits next; the lock works without it.
func (l *Lock) writePID() {
	if err := l.f.Truncate(0); err == nil {
		_, _ = l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}

func holder(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
