package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// Before identities, devstack named and labelled a stack by the project's name alone
// (NAME-SERVICE, NAME-SERVICE-data, dev.devstack.project=NAME): every clone of one
// repository shared it. Such a legacy stack holds someone's data. It is adopted, and then
// used under its old names (a volume cannot be renamed, and copying a database's data
// directory is slow and can fail half-way), only by the checkout that proves it made it:
// the checkout whose .devstack/secrets.env gave the credentials its volumes recorded
// (engine.LabelCredentials). The adoption is kept on the engine itself, in an empty
// volume labelled with the adopting checkout's real path (OwnerVolume): the engine is what
// every checkout shares, and no repository's content can write it.

// OwnerVolume is the name of the volume that records which checkout adopted the legacy
// stack of the project name: a name no service's volume has (theirs end in -data).
func OwnerVolume(name string) string { return name + "-devstack-owner" }

// AdoptedBy is the checkout that adopted the legacy stack of the project name, or ""
// when none did. It only reads.
func AdoptedBy(ctx context.Context, eng Engine, name string) (string, error) {
	v, err := eng.Volume(ctx, OwnerVolume(name))
	if errors.Is(err, engine.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if v.Labels[engine.LabelProject] != name {
		return "", nil // not devstack's record: it gives nobody anything
	}
	return v.Labels[engine.LabelCheckout], nil
}

// Resolve is the identity the configuration's checkout acts as on this engine: the
// legacy one when this checkout adopted its project's legacy stack, else the derived one.
// It only reads; Adopt is what adopts.
func Resolve(ctx context.Context, eng Engine, cfg *config.Config) (config.Identity, error) {
	id := cfg.StackIdentity()
	if id.Legacy || id.Checkout == "" {
		return id, nil
	}
	owner, err := AdoptedBy(ctx, eng, id.Name)
	if err != nil {
		return id, err
	}
	if owner == id.Checkout {
		return config.LegacyIdentity(id.Name, id.Checkout), nil
	}
	return id, nil
}

// AdoptRefusal says why a legacy stack of the project's name was not adopted: it stays
// as it is, for the checkout that made it, and this checkout has a stack of its own.
type AdoptRefusal struct {
	Name    string
	Volumes []string // the legacy stack's data volumes
	Reason  string
}

func (r *AdoptRefusal) String() string {
	return fmt.Sprintf("a stack an earlier devstack made for project %s (volumes %s) is not this checkout's: %s; "+
		"it is left as it is, and this checkout gets a stack of its own", r.Name, strings.Join(r.Volumes, ", "), r.Reason)
}

// Adopt resolves the identity as Resolve does and, when this checkout has nothing of
// its own yet and a legacy stack of its project's name is there, adopts it when every
// credential its volumes recorded is this checkout's (at least one must be: a stack that
// recorded none proves nobody its owner). The caller holds the project's lock and saves
// the secrets before anything is started with them; pl is the plan under the derived
// identity, whose units say which credentials each service gets.
func Adopt(ctx context.Context, eng Engine, pl *plan.Plan) (config.Identity, *AdoptRefusal, error) {
	id, err := Resolve(ctx, eng, pl.Config)
	if err != nil || id.Legacy || id.Checkout == "" {
		return id, nil, err
	}
	name := id.Name
	owner, err := AdoptedBy(ctx, eng, name)
	if err != nil {
		return id, nil, err
	}
	type found struct {
		u   plan.Unit
		vol *engine.Volume
	}
	var legacy []found
	for _, u := range pl.Units {
		if u.Spec.Volume == "" {
			continue
		}
		v, err := eng.Volume(ctx, plan.VolumeName(name, u.Name()))
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return id, nil, err
		}
		// Only what an earlier devstack made for this name: one made since carries the
		// checkout that made it.
		if v.Labels[engine.LabelProject] == name && v.Labels[engine.LabelService] == u.Name() && v.Labels[engine.LabelCheckout] == "" {
			legacy = append(legacy, found{u, v})
		}
	}
	if len(legacy) == 0 {
		return id, nil, nil
	}
	refuse := func(reason string) (config.Identity, *AdoptRefusal, error) {
		r := &AdoptRefusal{Name: name, Reason: reason}
		for _, l := range legacy {
			r.Volumes = append(r.Volumes, l.vol.Name)
		}
		return id, r, nil
	}
	if owner != "" {
		return refuse("the checkout at " + owner + " adopted it")
	}
	if own, err := eng.Volumes(ctx, id.ID); err != nil {
		return id, nil, err
	} else if len(own) > 0 {
		return refuse("this checkout already has data of its own (" + strings.Join(own, ", ") + ")")
	}
	matched := 0
	for _, l := range legacy {
		had := l.vol.Labels[engine.LabelCredentials]
		switch {
		case had == "":
			// Made before volumes recorded credentials, or a service given none: it
			// neither proves nor disproves.
		case had != l.u.Credentials:
			return refuse(fmt.Sprintf("volume %s was initialised with other credentials than this checkout's .devstack/secrets.env holds", l.vol.Name))
		default:
			matched++
		}
	}
	if matched == 0 {
		return refuse("its volumes recorded no credentials (made before devstack recorded them), so no checkout can prove it made them")
	}
	labels := map[string]string{engine.LabelProject: name, engine.LabelName: name, engine.LabelCheckout: id.Checkout}
	if err := eng.EnsureVolume(ctx, OwnerVolume(name), labels); err != nil {
		return id, nil, fmt.Errorf("record that this checkout adopted %s's stack: %w", name, err)
	}
	// Two checkouts adopting at once: the engine keeps the first record; read it back.
	if owner, err = AdoptedBy(ctx, eng, name); err != nil {
		return id, nil, err
	}
	if owner != id.Checkout {
		return refuse("the checkout at " + owner + " adopted it")
	}
	return config.LegacyIdentity(name, id.Checkout), nil, nil
}
