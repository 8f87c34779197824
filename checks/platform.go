package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/preflight"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// PlatformResult sums up the planned images' CPU floors as one doctor check: an image
// the engine host's CPU cannot run fails it, as up would refuse it.
func PlatformResult(verdicts []stack.PlatformVerdict, err error) Result {
	res := Result{Name: "cpu", Kind: kindSystem, Required: true}
	var ue *engine.UnreachableError
	switch {
	case errors.As(err, &ue):
		res.Status, res.Message = output.Skip, "skipped: the Docker daemon does not answer"
		return res
	case errors.Is(err, context.DeadlineExceeded):
		res.Status, res.Message = output.Skip, "skipped: the engine did not answer within the timeout"
		return res
	case err != nil:
		res.Status, res.Message, res.Fix = output.Fail, err.Error(), output.HintOf(err)
		return res
	}
	var refused []stack.PlatformVerdict
	var unknown, passed []string
	for _, v := range verdicts {
		switch v.Status {
		case preflight.Refuse:
			refused = append(refused, v)
		case preflight.Unknown:
			unknown = append(unknown, fmt.Sprintf("%s needs %s; %s", v.Service, v.Need, v.Reason))
		default:
			if v.Need != "" {
				passed = append(passed, fmt.Sprintf("%s (%s)", v.Reason, v.How))
			}
		}
	}
	switch {
	case len(refused) > 0:
		pe := &stack.PlatformError{Refused: refused}
		res.Status, res.Message, res.Fix = output.Fail, pe.Error(), pe.Hint()
	case len(unknown) > 0:
		res.Status, res.Message = output.Warn, strings.Join(unknown, "; ")
	case len(passed) > 0:
		res.Status, res.Message = output.OK, strings.Join(passed, "; ")
	default:
		res.Status, res.Message = output.OK, "no planned image has a CPU floor for this architecture"
	}
	return res
}
