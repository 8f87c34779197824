package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

var projectFile = filepath.Join(Dir, "project.json")

// LoadPlacement reads .devstack/project.json: where the project was last brought up
// (the offset and bind its containers publish on), so that env, status, fixtures, logs
// and down find it there, not where the defaults say. nil when no up recorded one.
func LoadPlacement(root string) (*config.Placement, error) {
	data, err := userfile.Read(root, projectFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p config.Placement
	if err := json.Unmarshal(data, &p); err != nil || p.Bind == "" || p.PlannedBind == "" {
		if err == nil {
			err = errors.New("no bind address recorded")
		}
		return nil, output.WithHint(fmt.Errorf("%s is not devstack's record of where the project runs: %w", filepath.Join(root, projectFile), err),
			"delete it; the next devstack up records it again")
	}
	return &p, nil
}

// SavePlacement records where the project now runs. Hold the project's lock.
func SavePlacement(root string, p config.Placement) error {
	if err := EnsureDir(root); err != nil {
		return err
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return userfile.Write(root, projectFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}
