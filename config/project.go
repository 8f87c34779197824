package config

import (
	"fmt"
)

// Found says how the project directory was found.
type Found int

const (
	FoundNone Found = iota // neither: the working directory, which is no project
	FoundFile              // the directory of devstack.yaml
	FoundGit               // the root of the git work tree, which has no devstack.yaml
)

// NeedProject refuses a configuration that found no project: the commands that keep a
// project's state (.devstack/) or run its services would otherwise make one wherever
// they were run, in / or the home directory.
func (c *Config) NeedProject() error {
	if c.Found != FoundNone {
		return nil
	}
	return &NoProjectError{Dir: c.Root}
}

// NoProjectError is a command that needs a project run outside of one.
type NoProjectError struct{ Dir string }

func (e *NoProjectError) Error() string {
	return fmt.Sprintf("%s is not a project: no %s there or in a parent directory, and no git work tree", e.Dir, FileName)
}

// Hint is the fix shown under the error.
func (e *NoProjectError) Hint() string {
	return "cd into your project (a git clone, or a directory with a " + FileName + "), or make this directory one: devstack init"
}
