package config

import (
	"errors"

	"github.com/devstack-dev/devstack/userfile"
)

// Confine is the rule for every path a repository names: inside the project root, links
// resolved (userfile.Within), or inside a path the user allowed on the command line.
type Confine struct {
	Root  string
	Allow []string // --allow-outside, as typed
}

// Path resolves p (relative to the root) and refuses it when it leads outside the root
// and outside every allowed path.
func (c Confine) Path(p string) (string, error) {
	resolved, err := userfile.Within(c.Root, p)
	var oe *userfile.OutsideError
	if !errors.As(err, &oe) {
		return resolved, err
	}
	for _, a := range c.Allow {
		if r, aerr := userfile.Within(a, oe.Resolved); aerr == nil {
			return r, nil
		}
	}
	return "", err
}

// Confine is the configuration's confinement rule.
func (c *Config) Confine() Confine { return Confine{Root: c.Root, Allow: c.AllowOutside} }
