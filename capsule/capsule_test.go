package capsule

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// engineTar is a volume as an engine's archive API gives it, rooted at root
// ("devstack-volume" on Docker, "/" on Podman 4).
func engineTar(t *testing.T, root string) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	name := func(rel string) string {
		if root == "/" {
			return "/" + rel
		}
		return root + "/" + rel
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tw.WriteHeader(&tar.Header{Name: strings.TrimSuffix(name(""), "/") + "/", Typeflag: tar.TypeDir, Mode: 0o700, Uid: 999}))
	must(tw.WriteHeader(&tar.Header{Name: name("base") + "/", Typeflag: tar.TypeDir, Mode: 0o700, Uid: 999}))
	data := []byte("16\n")
	must(tw.WriteHeader(&tar.Header{Name: name("PG_VERSION"), Typeflag: tar.TypeReg, Mode: 0o600, Uid: 999, Size: int64(len(data))}))
	_, err := tw.Write(data)
	must(err)
	must(tw.WriteHeader(&tar.Header{Name: name("base/link"), Typeflag: tar.TypeSymlink, Linkname: "../PG_VERSION"}))
	must(tw.WriteHeader(&tar.Header{Name: name("hard"), Typeflag: tar.TypeLink, Linkname: name("PG_VERSION")}))
	must(tw.WriteHeader(&tar.Header{Name: name("fifo"), Typeflag: tar.TypeFifo}))
	must(tw.Close())
	return b.Bytes()
}

func manifest() Manifest {
	return Manifest{Name: "one", Created: time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC), Devstack: "test", Project: "p",
		Services: []Service{{Name: "postgres", Image: "postgres:16", Method: "stop", Major: 16}}}
}

func TestWriteVerifyStreamBothEngines(t *testing.T) {
	for _, root := range []string{"devstack-volume", "/"} {
		t.Run(root, func(t *testing.T) {
			var out bytes.Buffer
			w, err := NewWriter(&out)
			if err != nil {
				t.Fatal(err)
			}
			n, err := w.AddVolume("postgres", bytes.NewReader(engineTar(t, root)))
			if err != nil || n != 3 {
				t.Fatalf("AddVolume: %d %v", n, err)
			}
			if err := w.Close(manifest()); err != nil {
				t.Fatal(err)
			}
			m, err := Verify("c", bytes.NewReader(out.Bytes()), int64(out.Len()), DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, mem := range m.Members {
				paths = append(paths, mem.Path+":"+mem.Type)
			}
			want := "data/postgres:dir data/postgres/base:dir data/postgres/PG_VERSION:file data/postgres/base/link:symlink data/postgres/hard:hardlink"
			if got := strings.Join(paths, " "); got != want {
				t.Fatalf("members %s, want %s (the FIFO left out)", got, want)
			}
			var streamed bytes.Buffer
			err = Stream("c", bytes.NewReader(out.Bytes()), int64(out.Len()), DefaultLimits, m, func(svc string) (io.WriteCloser, error) {
				if svc != "postgres" {
					t.Fatalf("service %s", svc)
				}
				return nopCloser{&streamed}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			tr := tar.NewReader(&streamed)
			var names []string
			for {
				h, err := tr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				names = append(names, h.Name+">"+h.Linkname)
				if h.Name == "./" && (h.Mode != 0o700 || h.Uid != 999) {
					t.Errorf("the volume's root lost its owner or mode: %o %d", h.Mode, h.Uid)
				}
			}
			if got := strings.Join(names, " "); got != "./> ./base/> ./PG_VERSION> ./base/link>../PG_VERSION ./hard>./PG_VERSION" {
				t.Fatalf("streamed %s", got)
			}
		})
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// entry is one raw member of a hand-made capsule.
type entry struct {
	hdr  tar.Header
	body []byte
}

// raw builds a capsule from entries and a manifest made to agree with them (unless
// change alters it after), so that each hostile row fails for its own reason.
func raw(t *testing.T, entries []entry, change func(*Manifest), manifestJSON []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := zstd.NewWriter(&b)
	tw := tar.NewWriter(zw)
	m := manifest()
	for _, e := range entries {
		h := e.hdr
		if h.Typeflag == tar.TypeReg && h.Size == 0 {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if len(e.body) > 0 {
			if _, err := tw.Write(e.body); err != nil {
				t.Fatal(err)
			}
		}
		mem := Member{Path: strings.TrimSuffix(h.Name, "/"), Link: h.Linkname}
		switch h.Typeflag {
		case tar.TypeDir:
			mem.Type = "dir"
		case tar.TypeReg:
			sum := sha256.Sum256(e.body)
			mem.Type, mem.Size, mem.SHA256 = "file", h.Size, hex.EncodeToString(sum[:])
		case tar.TypeSymlink:
			mem.Type = "symlink"
		case tar.TypeLink:
			mem.Type = "hardlink"
		}
		m.Members = append(m.Members, mem)
	}
	m.Format = Format
	if change != nil {
		change(&m)
	}
	data := manifestJSON
	if data == nil {
		data, _ = json.Marshal(m)
	}
	_ = tw.WriteHeader(&tar.Header{Name: ManifestName, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))})
	_, _ = tw.Write(data)
	_ = tw.Close()
	_ = zw.Close()
	return b.Bytes()
}

func file(name, body string) entry {
	return entry{hdr: tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o600}, body: []byte(body)}
}

// Every hostile capsule is refused by Verify with an *Error naming what is wrong; the
// well-formed one passes (so each row fails for its own reason, not the builder's).
func TestVerifyRefusesHostileCapsules(t *testing.T) {
	dir := entry{hdr: tar.Header{Name: "data/postgres/", Typeflag: tar.TypeDir, Mode: 0o700}}
	small := Limits{Members: 100, Unpacked: 1 << 20, Ratio: 50, RatioFloor: 64 << 10}
	tests := []struct {
		name    string
		capsule []byte
		lim     Limits
		want    string
	}{
		{"well-formed", raw(t, []entry{dir, file("data/postgres/PG_VERSION", "16\n")}, nil, nil), DefaultLimits, ""},
		{"dot-dot path", raw(t, []entry{dir, file("data/postgres/../../etc/passwd", "x")}, nil, nil), DefaultLimits, "not data/SERVICE/PATH"},
		{"absolute path", raw(t, []entry{file("/etc/passwd", "x")}, nil, nil), DefaultLimits, "not data/SERVICE/PATH"},
		{"outside data/", raw(t, []entry{file("evil.sh", "x")}, nil, nil), DefaultLimits, "not data/SERVICE/PATH"},
		{"backslash path", raw(t, []entry{dir, file(`data/postgres/..\..\x`, "x")}, nil, nil), DefaultLimits, "not data/SERVICE/PATH"},
		{"symlink out", raw(t, []entry{dir, {hdr: tar.Header{Name: "data/postgres/l", Typeflag: tar.TypeSymlink, Linkname: "../../../etc"}}}, nil, nil), DefaultLimits, "symbolic link out"},
		{"symlink absolute", raw(t, []entry{dir, {hdr: tar.Header{Name: "data/postgres/l", Typeflag: tar.TypeSymlink, Linkname: "/etc/shadow"}}}, nil, nil), DefaultLimits, "symbolic link out"},
		{"hardlink out", raw(t, []entry{dir, {hdr: tar.Header{Name: "data/postgres/h", Typeflag: tar.TypeLink, Linkname: "/etc/shadow"}}}, nil, nil), DefaultLimits, "hard link"},
		{"hardlink to another service", raw(t, []entry{dir, file("data/redis/x", "1"), {hdr: tar.Header{Name: "data/postgres/h", Typeflag: tar.TypeLink, Linkname: "data/redis/x"}}}, nil, nil), DefaultLimits, "hard link"},
		{"device", raw(t, []entry{dir, {hdr: tar.Header{Name: "data/postgres/sda", Typeflag: tar.TypeBlock, Devmajor: 8}}}, nil, nil), DefaultLimits, "device"},
		{"char device", raw(t, []entry{dir, {hdr: tar.Header{Name: "data/postgres/mem", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 1}}}, nil, nil), DefaultLimits, "device"},
		{"huge size", raw(t, []entry{dir, file("data/postgres/big", strings.Repeat("x", 2<<20))}, nil, nil), small, "more than 1048576 bytes"},
		{"zip-bomb ratio", raw(t, []entry{dir, file("data/postgres/zeros", strings.Repeat("\x00", 900<<10))}, nil, nil), small, "decompression bomb"},
		{"too many members", raw(t, []entry{dir, file("data/postgres/a", "1"), file("data/postgres/b", "2")}, nil, nil), Limits{Members: 2, Unpacked: 1 << 20, Ratio: 1000, RatioFloor: 1 << 20}, "more than 2 members"},
		{"bad checksum", raw(t, []entry{dir, file("data/postgres/PG_VERSION", "16\n")}, func(m *Manifest) { m.Members[1].SHA256 = strings.Repeat("0", 64) }, nil), DefaultLimits, "but the manifest says"},
		{"member missing from manifest", raw(t, []entry{dir, file("data/postgres/PG_VERSION", "16\n")}, func(m *Manifest) { m.Members = m.Members[:1] }, nil), DefaultLimits, "lists 1 members"},
		{"bad manifest name", raw(t, []entry{dir}, func(m *Manifest) { m.Name = "../../x" }, nil), DefaultLimits, "name:"},
		{"bad manifest service", raw(t, []entry{dir}, func(m *Manifest) { m.Services[0].Name = "Post gres" }, nil), DefaultLimits, "not a service name"},
		{"bad manifest image", raw(t, []entry{dir}, func(m *Manifest) { m.Services[0].Image = "--privileged" }, nil), DefaultLimits, "image"},
		{"bad manifest method", raw(t, []entry{dir}, func(m *Manifest) { m.Services[0].Method = "exec" }, nil), DefaultLimits, "method"},
		{"data of an unlisted service", raw(t, []entry{dir, file("data/redis/dump.rdb", "x")}, nil, nil), DefaultLimits, "does not list"},
		{"terminal escape in version", raw(t, []entry{dir}, func(m *Manifest) { m.Devstack = "\x1b[2J" }, nil), DefaultLimits, "printable"},
		{"unknown manifest field", raw(t, []entry{dir}, nil, []byte(`{"format":1,"name":"one","services":[{"name":"postgres","image":"postgres:16","method":"stop","password":"x"}]}`)), DefaultLimits, "unknown field"},
		{"other format", raw(t, []entry{dir}, func(m *Manifest) { m.Format = 2 }, nil), DefaultLimits, "format 2"},
		{"no manifest", func() []byte {
			var b bytes.Buffer
			zw, _ := zstd.NewWriter(&b)
			tw := tar.NewWriter(zw)
			_ = tw.WriteHeader(&dir.hdr)
			_ = tw.Close()
			_ = zw.Close()
			return b.Bytes()
		}(), DefaultLimits, "has no manifest.json"},
		{"not zstd", []byte("PK\x03\x04 a zip file"), DefaultLimits, "not a zstd-compressed tar"},
		{"cut short", func() []byte {
			c := raw(t, []entry{dir, file("data/postgres/PG_VERSION", "16\n")}, nil, nil)
			return c[:len(c)/2]
		}(), DefaultLimits, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify("c.capsule", bytes.NewReader(tt.capsule), int64(len(tt.capsule)), tt.lim)
			if tt.name == "well-formed" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ce *Error
			if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a capsule error containing %q", err, tt.want)
			}
		})
	}
}
