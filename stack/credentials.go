package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/devstack-dev/devstack/plan"
	"github.com/devstack-dev/devstack/services/engine"
)

// NewSecretsError refuses up before anything is created or started: these services'
// volumes hold data initialised with other generated credentials than the project has
// now (.devstack deleted, by git clean -xfd for one). Started, they would only fail on
// authentication, after waiting.
type NewSecretsError struct{ Services, Volumes []string }

func (e *NewSecretsError) Error() string {
	return fmt.Sprintf("volumes %s hold data initialised with other credentials than .devstack/secrets.env has now (was .devstack deleted or replaced?); nothing was started or re-created",
		strings.Join(e.Volumes, ", "))
}

// Hint gives both ways out: the old secrets back, or these services' data gone.
func (e *NewSecretsError) Hint() string {
	return "restore .devstack/secrets.env or reset these services: devstack down --volumes " + strings.Join(e.Services, " ") +
		" (deletes their data; the other services keep theirs), then devstack up"
}

// checkCredentials compares the credentials each service is given with those its volume
// was initialised with. A volume made before devstack labelled them is not judged.
func checkCredentials(ctx context.Context, eng Engine, units []plan.Unit) error {
	e := &NewSecretsError{}
	for _, u := range units {
		if u.Spec.Volume == "" || u.Credentials == "" {
			continue
		}
		vol, err := eng.Volume(ctx, u.Spec.Volume)
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if had := vol.Labels[engine.LabelCredentials]; had != "" && had != u.Credentials {
			e.Services, e.Volumes = append(e.Services, u.Name()), append(e.Volumes, vol.Name)
		}
	}
	if len(e.Services) > 0 {
		return e
	}
	return nil
}

// VolumeMemory remembers whether each data volume devstack made ever became ready
// (state.ReadyVolumes); nil remembers nothing and judges nothing.
type VolumeMemory interface {
	Created(volume, createdAt string) error
	Ready(volume, createdAt string) error
	NeverReady(volume, createdAt string) (bool, error)
}

// NeverReadyError refuses up before it waits: these volumes were made by an up whose
// service never became ready on them (its first initialisation was interrupted), so
// their data is half-made; PostgreSQL's then sits in recovery or refuses logins, and
// waiting does not heal it.
type NeverReadyError struct{ Services, Volumes []string }

func (e *NeverReadyError) Error() string {
	return fmt.Sprintf("volumes %s never became ready: the first start of %s on them was interrupted, so their data is half-initialised; nothing was started",
		strings.Join(e.Volumes, ", "), strings.Join(e.Services, ", "))
}

// Hint resets only those services.
func (e *NeverReadyError) Hint() string {
	return "reset these services: devstack down --volumes " + strings.Join(e.Services, " ") +
		" (deletes only their half-made data; the other services keep theirs), then devstack up"
}

// checkNeverReady names the volumes whose first initialisation was interrupted, and
// returns each existing volume's instance by service, for marking it ready later.
// A service whose container still runs is not judged: up was interrupted while it
// initialised (Ctrl-C), and it may finish; this up waits on it as usual.
func checkNeverReady(ctx context.Context, eng Engine, units []plan.Unit, have []*engine.Container, memory VolumeMemory) (map[string]string, error) {
	created := map[string]string{}
	if memory == nil {
		return created, nil
	}
	e := &NeverReadyError{}
	for i, u := range units {
		if u.Spec.Volume == "" {
			continue
		}
		vol, err := eng.Volume(ctx, u.Spec.Volume)
		if errors.Is(err, engine.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		created[u.Name()] = vol.Instance()
		if c := have[i]; c != nil && c.State != "exited" && c.State != "dead" {
			continue
		}
		never, err := memory.NeverReady(vol.Name, vol.Instance())
		if err != nil {
			return nil, err
		}
		if never {
			e.Services, e.Volumes = append(e.Services, u.Name()), append(e.Volumes, vol.Name)
		}
	}
	if len(e.Services) > 0 {
		return nil, e
	}
	return created, nil
}

// rememberNew records the volumes prepare just made (those without an instance yet) as
// not ready, before any container starts on them.
func rememberNew(ctx context.Context, eng Engine, units []plan.Unit, memory VolumeMemory, created map[string]string) error {
	if memory == nil {
		return nil
	}
	for _, u := range units {
		if u.Spec.Volume == "" || created[u.Name()] != "" {
			continue
		}
		vol, err := eng.Volume(ctx, u.Spec.Volume)
		if err != nil {
			return fmt.Errorf("volume %s just made: %w", u.Spec.Volume, err)
		}
		created[u.Name()] = vol.Instance()
		if err := memory.Created(vol.Name, vol.Instance()); err != nil {
			return err
		}
	}
	return nil
}
