package stack

import (
	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/ports"
	"github.com/devstack-dev/devstack/services"
)

// Settings are the connection settings of every planned service, in catalog order. They
// need no engine: they follow from the configuration and the project's credentials.
func Settings(cfg *config.Config, secrets Secrets) ([]services.Setting, error) {
	plan, err := ports.NewPlan(cfg)
	if err != nil {
		return nil, err
	}
	units, err := Units(cfg, plan, secrets, nil)
	if err != nil {
		return nil, err
	}
	var out []services.Setting
	for _, u := range units {
		if u.Service.Connection != nil {
			out = append(out, u.Service.Connection(u.Endpoint)...)
		}
	}
	return out, nil
}
