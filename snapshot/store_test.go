package snapshot

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstack-dev/devstack/capsule"
)

func writeCapsule(t *testing.T, path, name string) {
	t.Helper()
	var vol bytes.Buffer
	tw := tar.NewWriter(&vol)
	_ = tw.WriteHeader(&tar.Header{Name: "devstack-volume/", Typeflag: tar.TypeDir, Mode: 0o755})
	_ = tw.WriteHeader(&tar.Header{Name: "devstack-volume/dump.rdb", Typeflag: tar.TypeReg, Mode: 0o644, Size: 5})
	_, _ = tw.Write([]byte("REDIS"))
	_ = tw.Close()
	var out bytes.Buffer
	w, err := capsule.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddVolume("redis", &vol); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(capsule.Manifest{Name: name, Created: time.Now().UTC(), Services: []capsule.Service{{Name: "redis", Image: "redis:7", Method: MethodStop}}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// export → import into another checkout's store → list there; a second import of the
// same name, and an altered capsule, are refused and leave the store as it was.
func TestExportImportList(t *testing.T) {
	data := t.TempDir()
	a, err := DefaultStore("a-0001", func(k string) string { return map[string]string{"XDG_DATA_HOME": data}[k] })
	if err != nil {
		t.Fatal(err)
	}
	if a.Dir != filepath.Join(data, "devstack", "snapshots", "a-0001") {
		t.Fatalf("store at %s", a.Dir)
	}
	if err := os.MkdirAll(a.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeCapsule(t, filepath.Join(a.Dir, "one.capsule"), "one")
	file := filepath.Join(t.TempDir(), "one.capsule")
	if _, err := a.Export("one", file); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Export("one", file); err == nil {
		t.Fatal("export replaced an existing file")
	}
	b := &Store{Dir: filepath.Join(data, "devstack", "snapshots", "b-0002")}
	if r, err := b.Import(file); err != nil || r.Name != "one" {
		t.Fatalf("import: %v", err)
	}
	if _, err := b.Import(file); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("second import: %v", err)
	}
	list, err := b.List()
	if err != nil || len(list) != 1 || list[0].Name != "one" || list[0].Error != "" || list[0].Services[0].Name != "redis" {
		t.Fatalf("list: %+v %v", list, err)
	}
	// One byte changed in the middle: refused, nothing added.
	data2, _ := os.ReadFile(file)
	data2[len(data2)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad.capsule")
	_ = os.WriteFile(bad, data2, 0o600)
	c := &Store{Dir: filepath.Join(data, "devstack", "snapshots", "c-0003")}
	if _, err := c.Import(bad); err == nil {
		t.Fatal("an altered capsule was imported")
	}
	if des, _ := os.ReadDir(c.Dir); len(des) != 0 {
		t.Fatalf("a refused import left %v", des)
	}
	if err := b.Remove("one"); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove("one"); err == nil || !strings.Contains(err.Error(), "no snapshot named one") {
		t.Fatalf("second rm: %v", err)
	}
}
