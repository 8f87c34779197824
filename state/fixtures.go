package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/devstack-dev/devstack/output"
	"github.com/devstack-dev/devstack/userfile"
)

var appliedFile = filepath.Join(Dir, "state.json")

// Applied records, per fixture, the digest of every file already loaded into its
// service, and the identity of the data it was loaded into (the service's volume, by name
// and instance): a record of other data, a wiped or re-created volume, says nothing about
// what the service holds now.
type Applied struct {
	root     string
	Fixtures map[string]AppliedFixture `json:"fixtures"`
}

// AppliedFixture is one fixture's record.
type AppliedFixture struct {
	Service string            `json:"service"`
	Data    string            `json:"data,omitempty"` // identity of the data loaded into; empty in records older than it
	Files   map[string]string `json:"files"`          // file → sha256 of the content loaded
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

// Digest is the content of the file last loaded for the fixture into this service's
// data, and whether there is one. A record without an identity (written before devstack
// recorded one) is taken as this data's: loading it all again would double its rows.
func (a *Applied) Digest(fixture, service, data, file string) (string, bool) {
	f, ok := a.Fixtures[fixture]
	if !ok || f.Service != service || (f.Data != "" && f.Data != data) {
		return "", false
	}
	d, ok := f.Files[file]
	return d, ok
}

// Adopt stamps a record older than data identities with the data it describes now.
func (a *Applied) Adopt(fixture, service, data string) error {
	f, ok := a.Fixtures[fixture]
	if !ok || f.Service != service || f.Data != "" || data == "" {
		return nil
	}
	f.Data = data
	a.Fixtures[fixture] = f
	return a.save()
}

// Record notes a file as loaded into data and saves at once, so an interruption loses
// nothing. A record of other data is replaced: that data is gone or elsewhere.
func (a *Applied) Record(fixture, service, data, file, digest string) error {
	f, ok := a.Fixtures[fixture]
	if !ok || f.Service != service || (f.Data != "" && f.Data != data) || f.Files == nil {
		f = AppliedFixture{Service: service, Files: map[string]string{}}
	}
	f.Data = data
	f.Files[file] = digest
	a.Fixtures[fixture] = f
	return a.save()
}

// Files are the files recorded as loaded for the fixture into this service's data, in
// name order.
func (a *Applied) Files(fixture, service, data string) []string {
	f, ok := a.Fixtures[fixture]
	if !ok || f.Service != service || (f.Data != "" && f.Data != data) {
		return nil
	}
	out := make([]string, 0, len(f.Files))
	for name := range f.Files {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ForgetFiles drops the records of these files of the fixture: they left its source.
func (a *Applied) ForgetFiles(fixture string, files []string) error {
	f, ok := a.Fixtures[fixture]
	if !ok || len(files) == 0 {
		return nil
	}
	for _, name := range files {
		delete(f.Files, name)
	}
	return a.save()
}

// Forget drops the records of these fixtures: their target was reset.
func (a *Applied) Forget(fixtures ...string) error {
	for _, name := range fixtures {
		delete(a.Fixtures, name)
	}
	return a.save()
}

// ForgetVolumes drops the records of fixtures loaded into these volumes: they were removed.
func ForgetVolumes(root string, volumes []string) error {
	if len(volumes) == 0 {
		return nil
	}
	a, err := LoadApplied(root)
	if err != nil {
		return err
	}
	changed := false
	for name, f := range a.Fixtures {
		for _, v := range volumes {
			if VolumeOf(f.Data) == v {
				delete(a.Fixtures, name)
				changed = true
			}
		}
	}
	if !changed {
		return nil
	}
	return a.save()
}

// VolumeData is the identity of a volume's data: its name, and its instance, which a
// volume removed and made again under the same name does not share.
func VolumeData(name, instance string) string { return "volume:" + name + "@" + instance }

// ContainerData is the identity of data kept in a container without a volume: it goes
// with the container.
func ContainerData(id string) string { return "container:" + id }

// VolumeOf is the volume name in a VolumeData identity, or "".
func VolumeOf(data string) string {
	rest, ok := strings.CutPrefix(data, "volume:")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "@")
	return name
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
