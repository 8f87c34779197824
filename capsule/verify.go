package capsule

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/devstack-dev/devstack/grammar"
)

// Limits bound what reading a capsule may cost: a capsule is untrusted input (an
// imported file, or one a repository's tooling dropped into the snapshot directory).
type Limits struct {
	Members  int   // entries
	Unpacked int64 // bytes of file data in all
	// Ratio is the most unpacked bytes per compressed byte, judged once past RatioFloor:
	// a database's zero-filled WAL compresses a hundredfold, a zip bomb a millionfold.
	Ratio      int64
	RatioFloor int64
}

// DefaultLimits are generous for a developer's data and refuse a bomb.
var DefaultLimits = Limits{Members: 1_000_000, Unpacked: 256 << 30, Ratio: 1000, RatioFloor: 256 << 20}

const maxManifest = 64 << 20

// Error is a capsule refused, with what was wrong and where.
type Error struct {
	File   string
	Member string
	Msg    string
}

func (e *Error) Error() string {
	if e.Member != "" {
		return fmt.Sprintf("%s: member %q: %s", e.File, e.Member, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Hint: a capsule is only ever made by devstack snapshot save or export.
func (e *Error) Hint() string {
	return "this is not a capsule devstack wrote, or it was changed or cut short on the way: export it again with devstack snapshot export NAME FILE"
}

// Verify reads the whole capsule (compressed size size, for the ratio) and returns its
// manifest once every member's path, type, size and checksum agree with it. Nothing is
// written anywhere.
func Verify(file string, r io.Reader, size int64, lim Limits) (*Manifest, error) {
	return walk(file, r, size, lim, nil)
}

// Stream reads the capsule again, checking as Verify does, and hands each service's
// members to open, named relative to the volume's root ("./", "./PG_VERSION");
// each writer is closed when its service's members end. A checksum that no longer
// agrees (the file changed since Verify) fails the stream before close.
func Stream(file string, r io.Reader, size int64, lim Limits, m *Manifest, open func(service string) (io.WriteCloser, error)) error {
	var cur string
	var tw *tar.Writer
	var wc io.WriteCloser
	finish := func() error {
		if wc == nil {
			return nil
		}
		err := errors.Join(tw.Close(), wc.Close())
		wc, tw = nil, nil
		return err
	}
	_, err := walk(file, r, size, lim, func(service, rel string, hdr *tar.Header, body io.Reader) error {
		if service != cur || wc == nil {
			if err := finish(); err != nil {
				return err
			}
			w, err := open(service)
			if err != nil {
				return err
			}
			cur, wc, tw = service, w, tar.NewWriter(w)
		}
		// Names relative to the volume's root: the engine extracts them into the mount
		// point itself (Podman 4 writes "devstack-volume/…" extracted at "/" into the
		// container's own filesystem, past the volume).
		out := *hdr
		out.Name = "./" + rel
		if hdr.Typeflag == tar.TypeDir {
			out.Name = strings.TrimSuffix(out.Name, "/") + "/"
		}
		if hdr.Typeflag == tar.TypeLink {
			_, lrel, _ := splitMember(hdr.Linkname)
			out.Linkname = "./" + lrel
		}
		if err := tw.WriteHeader(&out); err != nil {
			return err
		}
		_, err := io.Copy(tw, body)
		return err
	})
	if err != nil {
		if wc != nil {
			_ = wc.Close()
		}
		return err
	}
	_ = m
	return finish()
}

// walk is Verify's and Stream's one reading of a capsule: each data member is checked
// as it comes (each is called with its body), the manifest last, against what was seen.
func walk(file string, r io.Reader, size int64, lim Limits, each func(service, rel string, hdr *tar.Header, body io.Reader) error) (*Manifest, error) {
	bad := func(member, format string, args ...any) error {
		return &Error{File: file, Member: member, Msg: fmt.Sprintf(format, args...)}
	}
	counted := &countReader{r: r}
	zr, err := zstd.NewReader(counted, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30), zstd.WithDecoderMaxWindow(128<<20))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var seen []Member
	byPath := map[string]bool{}
	var unpacked int64
	var manifest *Manifest
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bad("", "not a zstd-compressed tar stream, or cut short: %v", err)
		}
		if manifest != nil {
			return nil, bad(hdr.Name, "follows %s, which must be the last member", ManifestName)
		}
		if len(seen) >= lim.Members {
			return nil, bad("", "holds more than %d members, devstack's limit", lim.Members)
		}
		if hdr.Name == ManifestName {
			if hdr.Typeflag != tar.TypeReg || hdr.Size < 0 || hdr.Size > maxManifest {
				return nil, bad(hdr.Name, "is not a regular file of at most %d bytes", maxManifest)
			}
			data, err := io.ReadAll(io.LimitReader(tr, maxManifest))
			if err != nil {
				return nil, bad(hdr.Name, "cut short: %v", err)
			}
			if manifest, err = decodeManifest(data); err != nil {
				return nil, bad(hdr.Name, "%v", err)
			}
			continue
		}
		service, rel, ok := splitMember(hdr.Name)
		if !ok {
			return nil, bad(hdr.Name, "is not data/SERVICE/PATH with a clean relative PATH (no '..', no absolute path)")
		}
		m := Member{Path: strings.TrimSuffix(hdr.Name, "/")}
		if byPath[m.Path] {
			return nil, bad(hdr.Name, "appears twice")
		}
		var body io.Reader = bytes.NewReader(nil)
		switch hdr.Typeflag {
		case tar.TypeDir:
			m.Type = "dir"
		case tar.TypeReg:
			m.Type, m.Size = "file", hdr.Size
			if hdr.Size < 0 {
				return nil, bad(hdr.Name, "has a negative size")
			}
			unpacked += hdr.Size
			if unpacked > lim.Unpacked {
				return nil, bad(hdr.Name, "the capsule unpacks to more than %d bytes, devstack's limit", lim.Unpacked)
			}
			if unpacked > lim.RatioFloor && size > 0 && unpacked/size > lim.Ratio {
				return nil, bad(hdr.Name, "the capsule unpacks to more than %d times its size: a decompression bomb", lim.Ratio)
			}
			body = tr
		case tar.TypeSymlink:
			if !symlinkInside(rel, hdr.Linkname) {
				return nil, bad(hdr.Name, "is a symbolic link out of its service's data (absolute or through '..')")
			}
			m.Type, m.Link = "symlink", hdr.Linkname
		case tar.TypeLink:
			lsvc, _, ok := splitMember(hdr.Linkname)
			if !ok || lsvc != service || !byPath[strings.TrimSuffix(hdr.Linkname, "/")] {
				return nil, bad(hdr.Name, "is a hard link to something that is not an earlier file of the same service")
			}
			m.Type, m.Link = "hardlink", hdr.Linkname
		default:
			return nil, bad(hdr.Name, "is a device, FIFO or other special file (type %q); a capsule holds files, directories and links only", hdr.Typeflag)
		}
		h := sha256.New()
		var sink io.Writer = h
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		if each != nil {
			go func() { err := each(service, rel, hdr, pr); _ = pr.CloseWithError(err); done <- err }()
			sink = io.MultiWriter(h, pw)
		}
		n, err := io.Copy(sink, io.LimitReader(body, hdr.Size+1))
		_ = pw.Close()
		if each != nil {
			if eerr := <-done; eerr != nil && err == nil {
				return nil, eerr
			}
		}
		if err != nil {
			return nil, bad(hdr.Name, "cut short: %v", err)
		}
		if m.Type == "file" {
			if n != hdr.Size {
				return nil, bad(hdr.Name, "holds %d bytes, its header says %d", n, hdr.Size)
			}
			m.SHA256 = hex.EncodeToString(h.Sum(nil))
		}
		seen = append(seen, m)
		byPath[m.Path] = true
	}
	if manifest == nil {
		return nil, bad("", "has no %s at its end (cut short?)", ManifestName)
	}
	if err := compare(manifest, seen); err != nil {
		return nil, bad(ManifestName, "%v", err)
	}
	_ = counted
	return manifest, nil
}

// compare holds the manifest to what the stream held, member by member, and every
// member to a service the manifest lists.
func compare(m *Manifest, seen []Member) error {
	if len(m.Members) != len(seen) {
		return fmt.Errorf("lists %d members, the capsule holds %d", len(m.Members), len(seen))
	}
	listed := map[string]bool{}
	for _, s := range m.Services {
		listed[s.Name] = true
	}
	for i, got := range seen {
		if m.Members[i] != got {
			return fmt.Errorf("member %d is %q (%s, %d bytes, sha256 %s) but the manifest says %q (%s, %d bytes, sha256 %s)",
				i, got.Path, got.Type, got.Size, got.SHA256, m.Members[i].Path, m.Members[i].Type, m.Members[i].Size, m.Members[i].SHA256)
		}
		svc, _, _ := splitMember(got.Path)
		if !listed[svc] {
			return fmt.Errorf("member %q belongs to service %s, which the manifest does not list", got.Path, svc)
		}
	}
	return nil
}

// decodeManifest reads the manifest strictly: unknown fields, another format, a name,
// service or image outside its grammar are refused.
func decodeManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not devstack's manifest: %v", err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("format %d; this devstack reads format %d", m.Format, Format)
	}
	if err := grammar.SnapshotName(m.Name); err != nil {
		return nil, fmt.Errorf("name: %v", err)
	}
	if len(m.Services) == 0 {
		return nil, errors.New("lists no service")
	}
	seen := map[string]bool{}
	for _, s := range m.Services {
		if !serviceRE.MatchString(s.Name) || seen[s.Name] {
			return nil, fmt.Errorf("a service's name is not a service name devstack uses, or appears twice")
		}
		seen[s.Name] = true
		if err := grammar.ImageRef(s.Image); err != nil {
			return nil, fmt.Errorf("service %s: image: %v", s.Name, err)
		}
		if s.Method != "stop" {
			return nil, fmt.Errorf("service %s: method %q is not one devstack uses", s.Name, s.Method)
		}
		if s.Major < 0 || s.Bytes < 0 || !hexOrEmpty(s.Credentials, 64) || !printable(s.Version, 128) || !printable(s.ImageID, 200) {
			return nil, fmt.Errorf("service %s: a field is out of its range", s.Name)
		}
	}
	if !printable(m.Devstack, 128) || !printable(m.Project, 128) {
		return nil, errors.New("devstack_version or project is not short printable text")
	}
	if m.Git != nil && (!printable(m.Git.Branch, 255) || !hexOrEmpty(m.Git.Commit, 64)) {
		return nil, errors.New("git: branch or commit is not what .git holds")
	}
	return &m, nil
}

func hexOrEmpty(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// printable is text a terminal shows as it is: no control character, no escape.
func printable(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// splitMember splits data/SERVICE[/REL] (a directory may end in '/').
func splitMember(name string) (service, rel string, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSuffix(name, "/"), dataDir+"/")
	if !found {
		return "", "", false
	}
	service, rel, _ = strings.Cut(rest, "/")
	if !serviceRE.MatchString(service) {
		return "", "", false
	}
	if rel != "" && !cleanRel(rel) {
		return "", "", false
	}
	return service, rel, true
}

// symlinkInside reports whether a link at rel pointing at target stays within the
// service's data: a relative target that never climbs above the data's root.
func symlinkInside(rel, target string) bool {
	if target == "" || strings.HasPrefix(target, "/") || strings.Contains(target, `\`) || strings.ContainsRune(target, 0) {
		return false
	}
	depth := strings.Count(path.Dir(rel), "/")
	if path.Dir(rel) != "." {
		depth++
	}
	for _, e := range strings.Split(target, "/") {
		switch e {
		case "..":
			depth--
			if depth < 0 {
				return false
			}
		case "", ".":
		default:
			depth++
		}
	}
	return true
}

// countReader counts the compressed bytes read.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
