package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/stack"
)

// ImagesResult sums up the planned images as one doctor check: each must be local or
// pullable, or up will refuse to start.
func ImagesResult(states []stack.ImageState, err error) Result {
	res := Result{Name: "images", Kind: kindSystem, Required: true}
	var ue *engine.UnreachableError
	switch {
	case errors.As(err, &ue):
		res.Status, res.Message = output.Skip, "skipped: the Docker daemon does not answer"
		return res
	case errors.Is(err, context.DeadlineExceeded):
		res.Status, res.Message = output.Skip, "skipped: the engine or a registry did not answer within the timeout"
		return res
	case err != nil:
		res.Status, res.Message, res.Fix = output.Fail, err.Error(), output.HintOf(err)
		return res
	}
	counts := map[string]int{}
	var missing []stack.ImageState
	var warnings []string
	for _, s := range states {
		counts[s.State]++
		if s.State == stack.ImageMissing {
			missing = append(missing, s)
		}
		if s.Warning != "" {
			warnings = append(warnings, s.Warning)
		}
	}
	res.Version = fmt.Sprintf("%d local, %d pullable", counts[stack.ImageLocal], counts[stack.ImagePullable])
	switch {
	case len(missing) > 0:
		ie := &stack.ImagesError{Missing: missing}
		res.Status, res.Message, res.Fix = output.Fail, ie.Error(), ie.Hint()
	case len(warnings) > 0:
		res.Status, res.Message = output.Warn, strings.Join(warnings, "; ")
	default:
		res.Status = output.OK
		res.Message = fmt.Sprintf("all %d images are local or pullable", len(states))
	}
	return res
}
