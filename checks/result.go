// Package checks finds, runs and judges the toolchain and system prerequisites, and says
// how to fix what fails. It returns results; it never prints.
package checks

import (
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
)

// Result is the verdict on one prerequisite. Its JSON form is documented in docs/commands.md.
type Result struct {
	Name       string        `json:"name"`
	Kind       string        `json:"kind"` // "tool" or "system"
	Status     output.Status `json:"status"`
	Required   bool          `json:"required"`
	Version    string        `json:"version,omitempty"`
	Constraint string        `json:"constraint,omitempty"`
	Path       string        `json:"path,omitempty"`
	Message    string        `json:"message,omitempty"`
	Fix        string        `json:"fix,omitempty"`
	// From says where a tool's requirement comes from: the line of devstack.yaml, or
	// "default" / "no devstack.yaml" (docs/doctor.md).
	From   string      `json:"from,omitempty"`
	Engine *engine.Ref `json:"engine,omitempty"` // docker-daemon only: which engine, how found
}

const (
	kindTool   = "tool"
	kindSystem = "system"
)

// soften turns a failure of something optional into a warning.
func (r Result) soften() Result {
	if !r.Required && r.Status == output.Fail {
		r.Status = output.Warn
	}
	return r
}
