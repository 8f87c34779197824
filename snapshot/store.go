package snapshot

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/grammar"
	"github.com/devstack-dev/devstack/output"
)

// Ext ends every snapshot's file name.
const Ext = ".capsule"

// partial marks a file being written: never listed, removed by the next command.
const partial = ".partial-"

// Store is one checkout's snapshots: $XDG_DATA_HOME/devstack/snapshots/IDENTITY (or
// ~/.local/share/…), outside every repository, so that git never picks one up and two
// checkouts of one project never see each other's.
type Store struct{ Dir string }

// DefaultStore is the store of the checkout with that identity (config.Identity.ID).
func DefaultStore(identity string, getenv func(string) string) (*Store, error) {
	base := getenv("XDG_DATA_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, output.WithHint(fmt.Errorf("no directory for snapshots: %w", err), "set XDG_DATA_HOME to an absolute directory")
		}
		base = filepath.Join(home, ".local", "share")
	}
	if identity == "" || strings.ContainsAny(identity, `/\`) || identity == "." || identity == ".." {
		return nil, fmt.Errorf("the project's identity %q cannot name a directory", identity)
	}
	return &Store{Dir: filepath.Join(base, "devstack", "snapshots", identity)}, nil
}

// Path is where snapshot name lives; the name is checked first.
func (s *Store) Path(name string) (string, error) {
	if err := grammar.SnapshotName(name); err != nil {
		return "", err
	}
	return filepath.Join(s.Dir, name+Ext), nil
}

// Exists reports whether a snapshot of that name is kept.
func (s *Store) Exists(name string) (bool, error) {
	p, err := s.Path(name)
	if err != nil {
		return false, err
	}
	_, err = os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// temp makes a new file to write a snapshot into, beside where it will be renamed to.
func (s *Store) temp(name string) (*os.File, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the snapshot directory %s: %w", s.Dir, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	p := filepath.Join(s.Dir, "."+name+partial+hex.EncodeToString(b))
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	return f, nil
}

// Entry is one kept snapshot, as list shows it.
type Entry struct {
	Name     string            `json:"name"`
	Created  time.Time         `json:"created"`
	Size     int64             `json:"size"`
	Services []capsule.Service `json:"services"`
	Git      *capsule.Git      `json:"git,omitempty"`
	Devstack string            `json:"devstack_version,omitempty"`
	// Error is set when the file is not a capsule that verifies: listed, so it can be removed.
	Error string `json:"error,omitempty"`
	path  string
}

// List reads every snapshot's manifest, verifying each file whole (checksums too): a
// snapshot listed without an error restores.
func (s *Store) List() ([]Entry, error) {
	des, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, de := range des {
		name, ok := strings.CutSuffix(de.Name(), Ext)
		if !ok || !de.Type().IsRegular() || grammar.SnapshotName(name) != nil {
			continue
		}
		e := Entry{Name: name, path: filepath.Join(s.Dir, de.Name())}
		m, size, err := verifyFile(e.path)
		e.Size = size
		if err != nil {
			e.Error = err.Error()
		} else {
			e.Created, e.Services, e.Git, e.Devstack = m.Created, m.Services, m.Git, m.Devstack
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Created.Before(out[j].Created) || out[i].Created.Equal(out[j].Created) && out[i].Name < out[j].Name
	})
	return out, nil
}

// Remove deletes snapshot name.
func (s *Store) Remove(name string) error {
	p, err := s.Path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return output.WithHint(fmt.Errorf("no snapshot named %s", name), "see the kept ones: devstack snapshot list")
		}
		return fmt.Errorf("remove snapshot %s: %w", name, err)
	}
	return nil
}

// verifyFile verifies a capsule file whole and returns its manifest and size.
func verifyFile(p string) (*capsule.Manifest, int64, error) {
	// Checked before it is opened: opening a FIFO would wait for a writer.
	if st, err := os.Stat(p); err != nil {
		return nil, 0, err
	} else if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a regular file", p)
	}
	m, err := capsule.Verify(p, f, st.Size(), capsule.DefaultLimits)
	return m, st.Size(), err
}

func filepathDir(p string) string { return filepath.Dir(p) }

func containsPartial(p string) bool {
	base := filepath.Base(p)
	return strings.HasPrefix(base, ".") && strings.Contains(base, partial)
}
