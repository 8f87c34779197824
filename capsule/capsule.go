// Package capsule is devstack's snapshot file: one tar stream, zstd-compressed, holding
// each stateful service's volume under data/SERVICE/ and, last, manifest.json (what was
// saved, from which images and servers, on which git commit, and the size and sha256 of
// every member). The same file is a saved snapshot and an exported one, so export and
// import are a verified copy. A capsule read here is untrusted input (Verify).
package capsule

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
)

// Format is the manifest's format number; another is refused, not guessed at.
const Format = 1

// ManifestName is the capsule's last member.
const ManifestName = "manifest.json"

// dataDir holds the volumes, one directory per service.
const dataDir = "data"

// Manifest says what a capsule holds. It never holds a password: Credentials is a
// fingerprint (a hash of the generated secrets' names and values, which are long and
// random) that tells whether the data was made with this project's secrets.
type Manifest struct {
	Format   int       `json:"format"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Devstack string    `json:"devstack_version"`
	Project  string    `json:"project"`
	Git      *Git      `json:"git,omitempty"`
	Services []Service `json:"services"`
	Members  []Member  `json:"members"`
}

// Git is the branch and commit the checkout was on, read from .git without running git.
type Git struct {
	Branch string `json:"branch,omitempty"`
	Commit string `json:"commit,omitempty"`
}

// Service is one service's saved data and the server that wrote it.
type Service struct {
	Name        string `json:"name"`
	Image       string `json:"image"`
	ImageID     string `json:"image_id,omitempty"`
	Version     string `json:"version,omitempty"`
	Major       int    `json:"major,omitempty"`
	Credentials string `json:"credentials,omitempty"`
	Method      string `json:"method"` // how a consistent copy was taken: "stop"
	Bytes       int64  `json:"bytes"`
}

// Member is one entry of the tar stream before the manifest.
type Member struct {
	Path   string `json:"path"`
	Type   string `json:"type"` // file, dir, symlink, hardlink
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"` // files only
	Link   string `json:"link,omitempty"`
}

// Writer writes a capsule: volumes first, then the manifest.
type Writer struct {
	zw      *zstd.Encoder
	tw      *tar.Writer
	members []Member
	// Progress, when set, hears every chunk of a service's data copied.
	Progress func(service string, bytes int64)
}

// NewWriter starts a capsule on w.
func NewWriter(w io.Writer) (*Writer, error) {
	// The default level: about as fast as the engine streams the data; better levels
	// cost more time than a local snapshot saves in disk.
	zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(2))
	if err != nil {
		return nil, err
	}
	return &Writer{zw: zw, tw: tar.NewWriter(zw)}, nil
}

// volumeRoot is the name every entry of an engine's volume archive begins with
// (engine.VolumeArchiveRoot), repeated here so that capsule does not import the engine.
const volumeRoot = "devstack-volume"

// AddVolume copies the engine's archive of service's volume (entries under
// devstack-volume/) into the capsule under data/SERVICE/, and returns the bytes of file
// data copied. Devices, FIFOs and anything else that is not data are left out.
func (w *Writer) AddVolume(service string, r io.Reader) (int64, error) {
	if !serviceRE.MatchString(service) {
		return 0, fmt.Errorf("service name %q cannot name a directory of a capsule", service)
	}
	tr := tar.NewReader(r)
	var total int64
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, fmt.Errorf("read %s's volume from the engine: %w", service, err)
		}
		rel, ok := underRoot(hdr.Name)
		if !ok {
			return total, fmt.Errorf("the engine's archive of %s's volume holds %q, outside the volume", service, hdr.Name)
		}
		m := Member{Path: memberPath(service, rel), Size: 0}
		out := *hdr
		out.Name = m.Path
		out.Format = tar.FormatPAX
		out.PAXRecords = nil // no xattrs or engine-specific records: data only
		switch hdr.Typeflag {
		case tar.TypeDir:
			m.Type = "dir"
			out.Name += "/"
		case tar.TypeReg:
			m.Type, m.Size = "file", hdr.Size
		case tar.TypeSymlink:
			m.Type, m.Link = "symlink", hdr.Linkname
		case tar.TypeLink:
			lrel, ok := underRoot(hdr.Linkname)
			if !ok {
				return total, fmt.Errorf("the engine's archive of %s's volume links %q outside the volume", service, hdr.Name)
			}
			m.Type, m.Link = "hardlink", memberPath(service, lrel)
			out.Linkname = m.Link
		default:
			continue
		}
		out.Size = m.Size
		if err := w.tw.WriteHeader(&out); err != nil {
			return total, err
		}
		if m.Type == "file" {
			h := sha256.New()
			var dst io.Writer = io.MultiWriter(w.tw, h)
			if w.Progress != nil {
				dst = io.MultiWriter(dst, progressWriter{service, w.Progress})
			}
			n, err := io.Copy(dst, tr)
			total += n
			if err != nil {
				return total, fmt.Errorf("copy %s's %s: %w", service, rel, err)
			}
			m.SHA256 = hex.EncodeToString(h.Sum(nil))
		}
		w.members = append(w.members, m)
	}
}

type progressWriter struct {
	service string
	fn      func(string, int64)
}

func (p progressWriter) Write(b []byte) (int, error) {
	p.fn(p.service, int64(len(b)))
	return len(b), nil
}

// Close writes the manifest, with every member added, and ends the stream. The caller
// syncs and renames the file.
func (w *Writer) Close(m Manifest) error {
	m.Format, m.Members = Format, w.members
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := w.tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := w.tw.Write(data); err != nil {
		return err
	}
	if err := w.tw.Close(); err != nil {
		return err
	}
	return w.zw.Close()
}

// Abort releases the compressor of a capsule that will not be finished.
func (w *Writer) Abort() { _ = w.zw.Close() }

// underRoot strips devstack-volume/ from an engine archive's entry name: "" is the
// volume's own directory (its owner and mode matter: PostgreSQL wants 0700).
//
// Podman 4 roots the same archive at "/" ("/", "/PG_VERSION") where Docker uses the
// directory's base name: both are read as the volume's root.
func underRoot(name string) (string, bool) {
	if name == "/" || name == volumeRoot || name == volumeRoot+"/" {
		return "", true
	}
	name = strings.TrimSuffix(name, "/")
	rel, ok := strings.CutPrefix(name, volumeRoot+"/")
	if !ok && strings.HasPrefix(name, "/") {
		rel, ok = name[1:], true
	}
	if !ok || !cleanRel(rel) {
		return "", false
	}
	return rel, true
}

func memberPath(service, rel string) string {
	if rel == "" {
		return dataDir + "/" + service
	}
	return dataDir + "/" + service + "/" + rel
}

// cleanRel is a relative path with no empty, "." or ".." element and no backslash.
func cleanRel(rel string) bool {
	if rel == "" || strings.HasPrefix(rel, "/") || strings.Contains(rel, `\`) || strings.ContainsRune(rel, 0) {
		return false
	}
	for _, e := range strings.Split(rel, "/") {
		if e == "" || e == "." || e == ".." {
			return false
		}
	}
	return path.Clean(rel) == rel
}

// serviceRE is config's rule for a service's name.
var serviceRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
