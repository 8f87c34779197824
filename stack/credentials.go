package stack

import (
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
func checkCredentials(units []plan.Unit, vols []*engine.Volume) error {
	e := &NewSecretsError{}
	for i, u := range units {
		vol := vols[i]
		if vol == nil || u.Credentials == "" {
			continue
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
