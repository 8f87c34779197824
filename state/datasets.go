package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

var (
	dataSetsFile = filepath.Join(Dir, "datasets.json")
	journalFile  = filepath.Join(Dir, "snapshot-journal.json")
)

// DataSets is .devstack/datasets.json: for each service whose data was restored from a
// snapshot, the volume that holds its live data now. Engines cannot rename a volume, so
// a restore writes into a new one and switches this pointer in one file write: the stack
// has the old data or the new, never a mix. A service not listed uses its default
// volume (plan.VolumeName).
type DataSets struct {
	Volumes map[string]string `json:"volumes"`
}

// LoadDataSets reads the pointer; an empty one when no restore wrote it.
func LoadDataSets(root string) (*DataSets, error) {
	d := &DataSets{Volumes: map[string]string{}}
	data, err := userfile.Read(root, dataSetsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, d); err != nil {
		return nil, output.WithHint(fmt.Errorf("%s is not devstack's record of which volumes hold the live data: %w", filepath.Join(root, dataSetsFile), err),
			"delete it: each service then uses its default volume again (devstack down --volumes removes the restored ones)")
	}
	if d.Volumes == nil {
		d.Volumes = map[string]string{}
	}
	for svc, vol := range d.Volumes {
		// The file is the checkout's own, but a name in it reaches the engine.
		if !volumeNameOK(vol) {
			return nil, output.WithHint(fmt.Errorf("%s: volume name for %s is not one devstack makes", filepath.Join(root, dataSetsFile), svc),
				"delete it: each service then uses its default volume again")
		}
	}
	return d, nil
}

// volumeNameOK is the form of the volume names devstack makes: identity, service, suffix.
func volumeNameOK(s string) bool {
	if s == "" || len(s) > 200 || strings.HasPrefix(s, "-") || strings.HasPrefix(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// SaveDataSets switches the pointer. Hold the project's lock.
func SaveDataSets(root string, d *DataSets) error {
	if err := EnsureDir(root); err != nil {
		return err
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	return userfile.Write(root, dataSetsFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}

// Journal is .devstack/snapshot-journal.json: what a snapshot command is doing to the
// stack, written before it stops anything, so that after a kill the next devstack
// command can converge (restart what was stopped, drop what was half-made).
type Journal struct {
	Op      string    `json:"op"` // save or restore
	Name    string    `json:"name"`
	Began   time.Time `json:"began"`
	PID     int       `json:"pid"`
	Stopped []string  `json:"stopped"` // services whose containers it stopped
	// Temp is the snapshot file being written (save), removed when the save did not end.
	Temp string `json:"temp,omitempty"`
	// NewVolumes are the volumes a restore made, by service; Switched says the pointer
	// points at them (then they are the live data, else they are removed).
	NewVolumes map[string]string `json:"new_volumes,omitempty"`
	Switched   bool              `json:"switched,omitempty"`
}

// LoadJournal reads the journal; nil when no snapshot command is under way or was cut off.
func LoadJournal(root string) (*Journal, error) {
	data, err := userfile.Read(root, journalFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j Journal
	if err := json.Unmarshal(data, &j); err != nil || (j.Op != "save" && j.Op != "restore") {
		if err == nil {
			err = fmt.Errorf("unknown operation %q", j.Op)
		}
		return nil, output.WithHint(fmt.Errorf("%s is not devstack's snapshot journal: %w", filepath.Join(root, journalFile), err),
			"delete it, then run devstack up to start any stopped service")
	}
	for svc, vol := range j.NewVolumes {
		if !volumeNameOK(vol) {
			return nil, output.WithHint(fmt.Errorf("%s: volume name for %s is not one devstack makes", filepath.Join(root, journalFile), svc),
				"delete it, then run devstack up to start any stopped service")
		}
	}
	return &j, nil
}

// SaveJournal writes the journal. Hold the project's lock.
func SaveJournal(root string, j *Journal) error {
	if err := EnsureDir(root); err != nil {
		return err
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return userfile.Write(root, journalFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}

// ClearJournal removes the journal once the stack is as it should be.
func ClearJournal(root string) error {
	real, err := userfile.Within(root, journalFile)
	if err != nil {
		return err
	}
	if err := os.Remove(real); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", journalFile, err)
	}
	return nil
}
