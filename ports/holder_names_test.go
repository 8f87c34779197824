package ports

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHolderCommand(t *testing.T) {
	// A real /proc/PID/cmdline of Podman 4.3's conmon holding a published port.
	raw, err := os.ReadFile(filepath.Join("testdata", "conmon.cmdline"))
	if err != nil {
		t.Fatal(err)
	}
	conmon := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"Podman's conmon: the container's name", conmon, "conmon (Podman container iss13-holder; stop it with: podman stop iss13-holder)"},
		{"conmon without -n: the short id", []string{"/usr/bin/conmon", "-c", "557e70d50d3ec7f4663fcf8e"}, "conmon (Podman container 557e70d50d3e; stop it with: podman stop 557e70d50d3e)"},
		{"rootless Podman", []string{"rootlessport"}, "rootlessport (a rootless Podman container's ports; podman ps lists them)"},
		{"docker-proxy stays whole", []string{"/usr/bin/docker-proxy", "-proto", "tcp", "-host-ip", "127.0.0.1", "-host-port", "5632"}, "/usr/bin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 5632"},
		{"a host process stays whole", []string{"/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main"}, "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main"},
	}
	for _, tt := range tests {
		if got := holderCommand(tt.args); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A remote engine's ports are judged by its probe alone: a port held on this machine is
// free on the engine's host, and the other way round.
func TestRemoteProbe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	heldHere := l.Addr().(*net.TCPAddr).Port
	heldThere := heldHere + 1
	plan := &Plan{Bind: "127.0.0.1", Ports: []Port{{Service: "redis", Host: heldHere}, {Service: "postgres", Host: heldThere}}}
	var asked []int
	plan.Remote = func(_ context.Context, bind string, ports []int) (map[int]bool, error) {
		asked = ports
		return map[int]bool{heldThere: true}, nil
	}
	st, err := Check(context.Background(), plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || st[0].State != Free || st[1].State != Held {
		t.Fatalf("asked %v; states %s %s", asked, st[0].State, st[1].State)
	}
	if st[1].Holder == nil || st[1].Holder.Unknown == "" {
		t.Fatalf("a remote holder cannot be named here: %+v", st[1].Holder)
	}
	plan.Remote = func(context.Context, string, []int) (map[int]bool, error) { return nil, errors.New("engine gone") }
	if _, err := Check(context.Background(), plan, nil); err == nil {
		t.Fatal("a failed remote probe passed for a verdict")
	}
}
