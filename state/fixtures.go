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

var appliedFile = filepath.Join(Dir, "state.json")

// Applied records, per fixture, the digest of every file already loaded into its
// service, so a file is loaded again only when it changes.
type Applied struct {
	root     string
	Fixtures map[string]AppliedFixture `json:"fixtures"`
}

// AppliedFixture is one fixture's record.
type AppliedFixture struct {
	Service string            `json:"service"`
	Files   map[string]string `json:"files"` // file → sha256 of the content loaded
}

// LoadApplied reads .devstack/state.json, or starts an empty record.
func LoadApplied(root string) (*Applied, error) {
	a := &Applied{root: root, Fixtures: map[string]AppliedFixture{}}
	data, err := userfile.Read(root, appliedFile)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, output.WithHint(fmt.Errorf("%s is not devstack's fixture record: %w", filepath.Join(root, appliedFile), err),
			"delete it; the next bootstrap or fixtures run loads every fixture again")
	}
	// A hand-edited record may lack parts; a missing part means nothing recorded there.
	if a.Fixtures == nil {
		a.Fixtures = map[string]AppliedFixture{}
	}
	for name, f := range a.Fixtures {
		if f.Files == nil {
			f.Files = map[string]string{}
			a.Fixtures[name] = f
		}
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
	if !ok || f.Service != service || f.Files == nil {
		f = AppliedFixture{Service: service, Files: map[string]string{}}
	}
	f.Files[file] = digest
	a.Fixtures[fixture] = f
	return a.save()
}

func (a *Applied) save() error {
	if err := EnsureDir(a.root); err != nil {
		return err
	}
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	return userfile.Write(a.root, appliedFile, append(data, '\n'), userfile.Options{Mode: 0o600})
}
