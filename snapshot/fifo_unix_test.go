//go:build unix

package snapshot

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// A FIFO or a directory given to import is refused at once, not read (or waited on).
func TestImportRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Store{Dir: filepath.Join(dir, "store")}
	for _, p := range []string{fifo, dir} {
		if _, err := s.Import(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("import %s: %v", p, err)
		}
	}
}
