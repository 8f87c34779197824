package services

import "github.com/devstack-dev/devstack/probe"

// Target is what probe's strategies check.
var _ probe.Target = Target{}
