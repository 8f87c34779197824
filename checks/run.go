package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ran is what one run of a tool produced.
type ran struct {
	path     string
	stdout   string
	stderr   string
	exitCode int
	err      error // set when the tool could not be run or did not finish
}

// errTimeout marks a tool that did not answer within the probe's timeout.
var errTimeout = errors.New("timed out")

// outputLimit bounds what is kept of a tool's output: a version is one line, and a tool
// gone wrong must not fill memory.
const outputLimit = 64 << 10

// run runs argv with a deadline. Its process group is killed at the deadline so a
// wrapper script's children cannot keep the pipes open.
func run(ctx context.Context, timeout time.Duration, path string, args ...string) ran {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	// Plain, English, non-interactive output; npm must not look for updates.
	cmd.Env = append(os.Environ(), "LC_ALL=C", "NO_COLOR=1", "NPM_CONFIG_UPDATE_NOTIFIER=false")
	var stdout, stderr limitedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 500 * time.Millisecond
	setProcessGroup(cmd)
	err := cmd.Run()
	r := ran{path: path, stdout: stdout.String(), stderr: stderr.String()}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		r.err = fmt.Errorf("%w after %s", errTimeout, timeout)
	case err != nil:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			r.exitCode = exit.ExitCode()
		} else {
			r.err = err
		}
	}
	return r
}

// commandLine is how a probe is shown to the user.
func commandLine(argv []string) string { return strings.Join(argv, " ") }

type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := outputLimit - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil // keep the tool running; the rest is dropped
}
