package engine

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRlimitRefused(t *testing.T) {
	tests := []struct {
		msg  string
		want bool
	}{
		// Podman 4.3 with runc, its default ulimits on a host without CAP_SYS_RESOURCE.
		{"runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied", true},
		// Docker 20.10, OpenSearch's memlock.
		{"OCI runtime create failed: container_linux.go:380: starting container process caused: process_linux.go:545: container init caused: error setting rlimit type 8: operation not permitted: unknown", true},
		// crun.
		{"crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied", true},
		{"driver failed programming external connectivity on endpoint x: Bind for 127.0.0.1:5632 failed: port is already allocated", false},
		{`OCI runtime create failed: exec: "/docker-entrypoint.sh": permission denied`, false},
	}
	for _, tt := range tests {
		if got := rlimitRefused(errors.New(tt.msg)); got != tt.want {
			t.Errorf("%q: got %v, want %v", tt.msg, got, tt.want)
		}
	}
}

func TestUlimitsErrorIsErrUlimits(t *testing.T) {
	cause := errors.New("error setting rlimit type 7: operation not permitted")
	for _, podman := range []bool{false, true} {
		err := fmt.Errorf("start container abc: %w", &UlimitsError{Podman: podman, Err: cause})
		if !errors.Is(err, ErrUlimits) || !errors.Is(err, cause) {
			t.Errorf("podman=%v: %v is not ErrUlimits and its cause", podman, err)
		}
		var ue *UlimitsError
		if !errors.As(err, &ue) {
			t.Fatalf("podman=%v: not an *UlimitsError", podman)
		}
		if got := strings.Contains(ue.Hint(), "default_ulimits = []"); got != podman {
			t.Errorf("podman=%v: hint %q", podman, ue.Hint())
		}
	}
}
