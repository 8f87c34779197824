package stack

import (
	"context"
	"errors"
	"fmt"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
	"github.com/devstack-dev/devstack/state"
)

// DataIdentity names the data a service holds now: its volume, by name and instance
// (a volume removed and made again under the same name is other data), or, for a
// service without a volume, its container, whose removal takes the data with it.
// Fixture records are kept against it, so that they never outlive the data.
func DataIdentity(ctx context.Context, eng Engine, u plan.Unit) (string, error) {
	notUp := func(err error) error {
		err = fmt.Errorf("%s's data: %w", u.Name(), err)
		if errors.Is(err, engine.ErrNotFound) {
			return output.WithHint(err, "start it first: devstack up "+u.Name())
		}
		return err
	}
	if u.Spec.Volume != "" {
		v, err := eng.Volume(ctx, u.Spec.Volume)
		if err != nil {
			return "", notUp(err)
		}
		return state.VolumeData(v.Name, v.Instance()), nil
	}
	c, err := eng.Inspect(ctx, u.Spec.Name)
	if err != nil {
		return "", notUp(err)
	}
	return state.ContainerData(c.ID), nil
}
