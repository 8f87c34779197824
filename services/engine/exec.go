package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// execOutputLimit bounds what a command's output may hold in memory: a probe's answer,
// not a data stream.
const execOutputLimit = 64 << 10

// Exec runs cmd in the running container id, waits for it, and returns its exit code with
// its output (stdout and stderr interleaved, at most 64 KiB).
func (c *Client) Exec(ctx context.Context, id string, cmd []string) (int, []byte, error) {
	created, err := c.api.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return 0, nil, fmt.Errorf("exec in %s: %w", id, c.wrap(err))
	}
	attached, err := c.api.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	if err != nil {
		return 0, nil, fmt.Errorf("exec in %s: %w", id, c.wrap(err))
	}
	defer attached.Close()
	var out limited
	done := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(&out, &out, attached.Reader)
		done <- err
	}()
	select {
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	case err := <-done:
		if err != nil {
			return 0, nil, fmt.Errorf("exec in %s: read its output: %w", id, err)
		}
	}
	insp, err := c.api.ContainerExecInspect(ctx, created.ID)
	if err != nil {
		return 0, nil, fmt.Errorf("exec in %s: %w", id, c.wrap(err))
	}
	if insp.Running {
		return 0, out.Bytes(), fmt.Errorf("exec in %s: the command still runs after closing its output", id)
	}
	return insp.ExitCode, out.Bytes(), nil
}

// limited keeps the first execOutputLimit bytes written and drops the rest, so a chatty
// command can neither block nor fill memory.
type limited struct{ bytes.Buffer }

func (l *limited) Write(p []byte) (int, error) {
	if room := execOutputLimit - l.Len(); room > 0 {
		l.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

var _ io.Writer = (*limited)(nil)
