package snapshot

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/devstack-dev/devstack/capsule"
	"github.com/devstack-dev/devstack/output"
)

// TransferReport is an exported or imported capsule.
type TransferReport struct {
	Name     string            `json:"name"`
	File     string            `json:"file"`
	Size     int64             `json:"size"`
	Services []capsule.Service `json:"services"`
	verb     string
}

// WriteText says what was copied where.
func (r *TransferReport) WriteText(w *output.TextWriter) {
	w.Item(output.OK, fmt.Sprintf("%s snapshot %s (%s, %d services, verified)", r.verb, r.Name, humanBytes(r.Size), len(r.Services)))
	w.Detail("file", r.File)
}

// Export copies snapshot name to file, verified on the way: export and import are a
// verified copy of the same capsule. An existing file is not replaced.
func (s *Store) Export(name, file string) (*TransferReport, error) {
	src, err := s.Path(name)
	if err != nil {
		return nil, err
	}
	if _, err := os.Lstat(file); err == nil {
		return nil, output.WithHint(fmt.Errorf("%s exists already", file), "name a new file, or remove that one first")
	}
	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+partial+"*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", file, err)
	}
	defer os.Remove(tmp.Name())
	m, size, err := copyVerified(src, tmp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, output.WithHint(fmt.Errorf("no snapshot named %s", name), "see the kept ones: devstack snapshot list")
	}
	if err != nil {
		return nil, err
	}
	// Link, not rename: a file made meanwhile under that name is not replaced.
	if err := os.Link(tmp.Name(), file); err != nil {
		return nil, fmt.Errorf("write %s: %w", file, err)
	}
	return &TransferReport{Name: m.Name, File: file, Size: size, Services: m.Services, verb: "exported"}, nil
}

// Import verifies file as the untrusted input it is (capsule.Verify: member paths,
// links, sizes, decompression ratio, checksums, manifest fields), and adds it to the
// store under the name its manifest gives. The copy is verified again, not the file it
// came from, which may change meanwhile.
func (s *Store) Import(file string) (*TransferReport, error) {
	m, _, err := verifyFile(file)
	if err != nil {
		return nil, err
	}
	if ok, err := s.Exists(m.Name); err != nil || ok {
		if err == nil {
			err = output.WithHint(fmt.Errorf("a snapshot named %s exists already", m.Name), "remove it first: devstack snapshot rm "+m.Name)
		}
		return nil, err
	}
	tmp, err := s.temp(m.Name)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	got, size, err := copyVerified(file, tmp)
	if err != nil {
		return nil, err
	}
	if got.Name != m.Name {
		return nil, fmt.Errorf("%s changed while it was imported", file)
	}
	final, _ := s.Path(got.Name)
	if err := os.Link(tmp.Name(), final); err != nil {
		return nil, fmt.Errorf("keep snapshot %s: %w", got.Name, err)
	}
	return &TransferReport{Name: got.Name, File: final, Size: size, Services: got.Services, verb: "imported"}, nil
}

// copyVerified copies src into dst (closed after) and verifies what was written.
func copyVerified(src string, dst *os.File) (*capsule.Manifest, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		dst.Close()
		return nil, 0, err
	}
	st, err := in.Stat()
	if err != nil || !st.Mode().IsRegular() {
		in.Close()
		dst.Close()
		if err == nil {
			err = fmt.Errorf("%s is not a regular file", src)
		}
		return nil, 0, err
	}
	_, err = io.Copy(dst, io.LimitReader(in, capsule.DefaultLimits.Unpacked))
	in.Close()
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, 0, fmt.Errorf("copy %s: %w", src, err)
	}
	m, size, err := verifyFile(dst.Name())
	return m, size, err
}
