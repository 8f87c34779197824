package services

import (
	"context"

	"github.com/devstack-dev/devstack/probe"
)

// Target is what probe's strategies check.
var _ probe.Target = Target{}

// check makes one attempt of s's probe on target.
func check(ctx context.Context, s *Service, target Target) error {
	st, err := probe.Build(s.Probe)
	if err != nil {
		return err
	}
	return st.Check(ctx, target)
}
