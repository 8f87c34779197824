package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

var volumesFile = filepath.Join(Dir, "volumes.json")

// ReadyVolumes is .devstack/volumes.json: for each data volume devstack made, that its
// service's first start on it began, and whether it ever became ready. A volume's labels
// cannot change once it exists, so this is kept here, keyed by the volume's name and
// instance (engine.Volume.Instance): a volume removed and made again under the same name
// is another volume. A volume whose first start was cut short (PostgreSQL killed during
// initdb) stays "not ready" here, and the next up names it instead of waiting on it.
// Hold the project's lock.
type ReadyVolumes struct {
	root string
	mu   sync.Mutex // up's services become ready in parallel
}

type volumeRecord struct {
	Instance string `json:"instance"`
	// CreatedAt is how records written before instances named the volume (the engine's
	// CreatedAt, which is the instance of a volume without devstack's id); read only.
	CreatedAt string     `json:"created_at,omitempty"`
	ReadyAt   *time.Time `json:"ready_at,omitempty"`
}

// NewReadyVolumes is the record of the project at root.
func NewReadyVolumes(root string) *ReadyVolumes { return &ReadyVolumes{root: root} }

// Started records that the service's first start on a volume up just made has begun,
// and that it is not ready yet.
func (r *ReadyVolumes) Started(volume, instance string) error {
	return r.update(func(m map[string]volumeRecord) bool {
		m[volume] = volumeRecord{Instance: instance}
		return true
	})
}

// Ready records that the service first became ready on this volume; a volume not
// recorded as made by devstack (older than this record, or the record lost) is left out.
func (r *ReadyVolumes) Ready(volume, instance string) error {
	return r.update(func(m map[string]volumeRecord) bool {
		rec, ok := m[volume]
		if !ok || rec.Instance != instance || rec.ReadyAt != nil {
			return false
		}
		now := time.Now().UTC()
		rec.ReadyAt = &now
		m[volume] = rec
		return true
	})
}

// NeverReady reports whether this very volume was made by up and its service never
// became ready on it. Unknown volumes are not judged.
func (r *ReadyVolumes) NeverReady(volume, instance string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, err := r.load()
	if err != nil {
		return false, err
	}
	rec, ok := m[volume]
	return ok && rec.Instance == instance && rec.ReadyAt == nil, nil
}

// Forget drops the records of volumes that were removed.
func (r *ReadyVolumes) Forget(volumes []string) error {
	if len(volumes) == 0 {
		return nil
	}
	return r.update(func(m map[string]volumeRecord) bool {
		changed := false
		for _, v := range volumes {
			if _, ok := m[v]; ok {
				delete(m, v)
				changed = true
			}
		}
		return changed
	})
}

func (r *ReadyVolumes) update(change func(map[string]volumeRecord) bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, err := r.load()
	if err != nil {
		return err
	}
	if !change(m) {
		return nil
	}
	if err := EnsureDir(r.root); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return userfile.Write(r.root, volumesFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}

func (r *ReadyVolumes) load() (map[string]volumeRecord, error) {
	m := map[string]volumeRecord{}
	data, err := userfile.Read(r.root, volumesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, output.WithHint(fmt.Errorf("%s is not devstack's record of its volumes: %w", filepath.Join(r.root, volumesFile), err),
			"delete it; devstack then stops judging the volumes it lists, and records new ones")
	}
	for name, rec := range m {
		if rec.Instance == "" && rec.CreatedAt != "" {
			rec.Instance, rec.CreatedAt = rec.CreatedAt, ""
			m[name] = rec
		}
	}
	return m, nil
}
