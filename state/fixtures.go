package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Applied records, per fixture, the digest of every file already loaded into its
// service, so a file is loaded again only when it changes.
type Applied struct {
	path     string
	Fixtures map[string]AppliedFixture `json:"fixtures"`
}

// AppliedFixture is one fixture's record.
type AppliedFixture struct {
	Service string            `json:"service"`
	Files   map[string]string `json:"files"` // file → sha256 of the content loaded
}

// LoadApplied reads .devstack/state.json, or starts an empty record.
func LoadApplied(root string) (*Applied, error) {
	a := &Applied{path: filepath.Join(root, Dir, "state.json"), Fixtures: map[string]AppliedFixture{}}
	data, err := os.ReadFile(a.path)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", a.path, err)
	}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v); delete it to load every fixture again", a.path, err)
	}
	if a.Fixtures == nil {
		a.Fixtures = map[string]AppliedFixture{}
	}
	return a, nil
}

// Has reports whether this content of the file was already loaded into service.
func (a *Applied) Has(fixture, service, file, digest string) bool {
	f, ok := a.Fixtures[fixture]
	return ok && f.Service == service && f.Files[file] == digest
}

// Record notes a file as loaded and saves at once, so an interruption loses nothing.
func (a *Applied) Record(fixture, service, file, digest string) error {
	f, ok := a.Fixtures[fixture]
	if !ok || f.Service != service {
		f = AppliedFixture{Service: service, Files: map[string]string{}}
	}
	f.Files[file] = digest
	a.Fixtures[fixture] = f
	return a.save()
}

func (a *Applied) save() error {
	if err := EnsureDir(filepath.Dir(filepath.Dir(a.path))); err != nil {
		return err
	}
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(a.path, append(data, '\n'), 0o600)
}
