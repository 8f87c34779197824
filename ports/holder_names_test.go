package ports

import (
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
