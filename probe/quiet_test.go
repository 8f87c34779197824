package probe

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// The drivers write nothing of their own to stderr when a probe fails (go-redis printed
// "redis: … connection refused" for every failed poll, which broke --output json). The
// probes run in a child process whose whole stderr is kept: the drivers' loggers write to
// the stderr they found at start, which no swap of os.Stderr in this process would catch.
func TestFailingProbesWriteNothingToStderr(t *testing.T) {
	if os.Getenv("DEVSTACK_PROBE_QUIET_CHILD") == "1" {
		closing := listen(t, func(c net.Conn) { c.Close() })
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := l.Addr().(*net.TCPAddr).Port
		l.Close()
		for _, port := range []int{closing, closed} {
			for _, s := range strategies() {
				for range 2 { // go-redis logged once per failed dial of its pool
					ctx, cancel := context.WithTimeout(context.Background(), time.Second)
					if s.Check(ctx, fake{port: port, env: map[string]string{"USER": "u", "PASS": "p"}}) == nil {
						t.Errorf("%s on port %d was called ready", s, port)
					}
					cancel()
				}
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailingProbesWriteNothingToStderr$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DEVSTACK_PROBE_QUIET_CHILD=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the probing child failed: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() != 0 {
		t.Fatalf("failing probes wrote to stderr:\n%s", stderr.String())
	}
}
