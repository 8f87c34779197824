package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

var projectFile = filepath.Join(Dir, "project.json")

// Placement is where a project was last brought up: the offset and bind its containers
// publish on. env, status, fixtures, logs and down use it unless the user asks for
// others, so that a project moved to another offset (by --offset or --auto-offset) is
// still found where it runs, not where the defaults say.
type Placement struct {
	Offset int    `json:"offset"`
	Bind   string `json:"bind"`
}

// LoadPlacement reads .devstack/project.json; ok is false when no up recorded one.
func LoadPlacement(root string) (p Placement, ok bool, err error) {
	data, err := userfile.Read(root, projectFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Placement{}, false, nil
	}
	if err != nil {
		return Placement{}, false, err
	}
	if err := json.Unmarshal(data, &p); err != nil || p.Bind == "" {
		if err == nil {
			err = errors.New("no bind address recorded")
		}
		return Placement{}, false, output.WithHint(fmt.Errorf("%s is not devstack's record of where the project runs: %w", filepath.Join(root, projectFile), err),
			"delete it; the next devstack up records it again")
	}
	return p, true, nil
}

// SavePlacement records where the project now runs. Hold the project's lock.
func SavePlacement(root string, p Placement) error {
	if err := EnsureDir(root); err != nil {
		return err
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return userfile.Write(root, projectFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}
