package drivers

import (
	"testing"

	"github.com/devstack-dev/devstack/probe"
	"github.com/devstack-dev/devstack/services"
)

// Every built-in's probe and fixtures name a kind a driver registered.
func TestEveryBuiltInHasItsDrivers(t *testing.T) {
	for _, s := range services.All() {
		if _, err := probe.Build(s.Probe); err != nil {
			t.Errorf("%s: probe: %v", s.Name, err)
		}
		if s.Fixtures != nil {
			if _, err := s.Fixtures.Loader(); err != nil {
				t.Errorf("%s: fixtures: %v", s.Name, err)
			}
		}
	}
}
