package engine

import (
	"errors"
	"testing"
)

func TestPortConflictWordings(t *testing.T) {
	tests := []struct {
		msg  string
		port int
	}{
		{"Error response from daemon: driver failed programming external connectivity on endpoint p-postgres (3f2a): Bind for 127.0.0.1:5632 failed: port is already allocated", 5632},
		{"Error response from daemon: driver failed programming external connectivity on endpoint p-redis (1a): Error starting userland proxy: listen tcp4 127.0.0.1:6579: bind: address already in use", 6579},
		{"Error response from daemon: failed to set up container networking: listen tcp 127.0.0.1:9000: bind: address already in use", 9000},
		{"Error response from daemon: Ports are not available: exposing port TCP 127.0.0.1:5872 -> 0.0.0.0:0: listen tcp 127.0.0.1:5872: bind: address already in use", 5872},
		{"Error response from daemon: Ports are not available: exposing port TCP [::1]:9400 -> [::]:0: listen tcp6 [::1]:9400: bind: address already in use", 9400},
		{"Error response from daemon: No such image: redis:7", 0},
	}
	for _, tt := range tests {
		got := asPortConflict(errors.New(tt.msg))
		if tt.port == 0 {
			if got != nil {
				t.Errorf("%q read as a conflict on %d", tt.msg, got.Port)
			}
			continue
		}
		if got == nil || got.Port != tt.port {
			t.Errorf("%q: got %+v, want port %d", tt.msg, got, tt.port)
		}
	}
}

func TestHashIgnoresItsOwnLabel(t *testing.T) {
	s := ContainerSpec{Name: "p-redis", Image: "redis:7", Labels: map[string]string{LabelProject: "p"}}
	h := s.Hash()
	s.Labels[LabelSpec] = h
	s.Labels[LabelDegraded] = "ulimits"
	if s.Hash() != h {
		t.Fatal("the spec label changed the hash")
	}
}
