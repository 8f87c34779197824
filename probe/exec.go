package probe

import (
	"context"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/probe/spec"
)

// Exec is ready when Cmd, run inside the container through the engine, exits 0: for a
// service whose protocol devstack has no client for (memcached, an internal image).
type Exec struct {
	Cmd []string
}

func init() {
	Register("exec", func(s spec.Spec) (Strategy, error) {
		return Exec{Cmd: s.Cmd}, nil
	})
}

var _ Strategy = Exec{}

func (e Exec) Check(ctx context.Context, t Target) error {
	if len(e.Cmd) == 0 {
		return fmt.Errorf("exec probe has no command")
	}
	code, out, err := t.Exec(ctx, e.Cmd)
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("%s exited %d: %s", e.Cmd[0], code, lastLine(out))
	}
	return nil
}

func (e Exec) String() string { return "exec " + strings.Join(e.Cmd, " ") }

// lastLine is the end of a command's output, bounded: the part that says why.
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	s := lines[len(lines)-1]
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "(no output)"
	}
	return s
}
