package userfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func TestWrite(t *testing.T) {
	type setup func(t *testing.T, root, outside string)
	file := func(name, content string, mode os.FileMode) setup {
		return func(t *testing.T, root, _ string) {
			must(t, os.WriteFile(filepath.Join(root, name), []byte(content), mode))
			must(t, os.Chmod(filepath.Join(root, name), mode)) // past the umask
		}
	}
	tests := []struct {
		name     string
		setup    []setup
		path     string
		wantErr  any    // pointer to the error type wanted, nil for success
		wantFile string // the file that must hold the new content
		wantMode os.FileMode
		wantLink string // a link that must still be a link
		intact   string // a file (under outside) that must not change
	}{
		{name: "new file gets the mode asked", path: ".env", wantFile: ".env", wantMode: 0o600},
		{name: "existing file keeps its mode", setup: []setup{file(".env", "OLD=1\n", 0o640)},
			path: ".env", wantFile: ".env", wantMode: 0o640},
		{name: "group-writable file keeps its mode", setup: []setup{file(".gitignore", "x\n", 0o664)},
			path: ".gitignore", wantFile: ".gitignore", wantMode: 0o664},
		{name: "read-only file is refused", setup: []setup{file(".env", "OLD=1\n", 0o444)},
			path: ".env", wantErr: new(*ReadOnlyError)},
		{name: "link inside the project is written through",
			setup: []setup{file("real.env", "OLD=1\n", 0o600), func(t *testing.T, root, _ string) {
				must(t, os.Symlink("real.env", filepath.Join(root, ".env")))
			}},
			path: ".env", wantFile: "real.env", wantMode: 0o600, wantLink: ".env"},
		{name: "link out of the project is refused",
			setup: []setup{func(t *testing.T, root, outside string) {
				must(t, os.WriteFile(filepath.Join(outside, ".bashrc"), []byte("alias ls=ls\n"), 0o644))
				must(t, os.Symlink(filepath.Join(outside, ".bashrc"), filepath.Join(root, ".env")))
			}},
			path: ".env", wantErr: new(*OutsideError), intact: ".bashrc"},
		{name: "path out of the project is refused", path: "../x/.bashrc", wantErr: new(*OutsideError)},
		{name: "directory is refused", setup: []setup{func(t *testing.T, root, _ string) {
			must(t, os.Mkdir(filepath.Join(root, ".env"), 0o755))
		}}, path: ".env", wantErr: new(*NotRegularError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := t.TempDir(), t.TempDir()
			for _, s := range tt.setup {
				s(t, root, outside)
			}
			var before []byte
			if tt.intact != "" {
				before, _ = os.ReadFile(filepath.Join(outside, tt.intact))
			}
			err := Write(root, tt.path, []byte("NEW=2\n"), Options{Mode: 0o600})
			if tt.wantErr != nil {
				if err == nil || !errors.As(err, tt.wantErr) {
					t.Fatalf("Write = %v; want %T", err, tt.wantErr)
				}
				var h interface{ Hint() string }
				if !errors.As(err, &h) || h.Hint() == "" {
					t.Errorf("%v carries no fix", err)
				}
				if tt.intact != "" {
					after, _ := os.ReadFile(filepath.Join(outside, tt.intact))
					if string(after) != string(before) {
						t.Errorf("%s changed: %q", tt.intact, after)
					}
				}
				assertNoTemp(t, root)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(root, tt.wantFile))
			if err != nil || string(got) != "NEW=2\n" {
				t.Fatalf("%s = %q, %v", tt.wantFile, got, err)
			}
			st, _ := os.Stat(filepath.Join(root, tt.wantFile))
			if st.Mode().Perm() != tt.wantMode {
				t.Errorf("mode %v, want %v", st.Mode().Perm(), tt.wantMode)
			}
			if tt.wantLink != "" {
				if lst, err := os.Lstat(filepath.Join(root, tt.wantLink)); err != nil || lst.Mode()&os.ModeSymlink == 0 {
					t.Errorf("%s is no longer a link: %v %v", tt.wantLink, lst.Mode(), err)
				}
			}
			assertNoTemp(t, root)
		})
	}
}

// Run as root (as in CI's container, or with sudo), the user's file must stay the user's.
func TestWriteKeepsTheOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("SKIPPED: giving a file to another uid needs root")
	}
	root := t.TempDir()
	path := filepath.Join(root, ".env")
	must(t, os.WriteFile(path, []byte("A=1\n"), 0o640))
	must(t, os.Chown(path, 4321, 4322))
	must(t, Write(root, ".env", []byte("A=2\n"), Options{Mode: 0o600}))
	st, err := os.Stat(path)
	must(t, err)
	s := st.Sys().(*syscall.Stat_t)
	if s.Uid != 4321 || s.Gid != 4322 || st.Mode().Perm() != 0o640 {
		t.Fatalf("owner %d:%d mode %v; want 4321:4322 0640", s.Uid, s.Gid, st.Mode().Perm())
	}
}

// Readers racing a writer see the old file or the new one, never an empty or partial one:
// the failure that read-then-truncate had (.gitignore wiped by two inits at once).
func TestWriteIsAtomicForReaders(t *testing.T) {
	root := t.TempDir()
	big := make([]byte, 108<<10)
	for i := range big {
		big[i] = 'a' + byte(i%26)
	}
	must(t, Write(root, ".gitignore", big, Options{}))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			got, err := os.ReadFile(filepath.Join(root, ".gitignore"))
			if err == nil && len(got) != len(big) {
				select {
				case errs <- fmt.Errorf("a reader saw %d bytes of %d", len(got), len(big)):
				default:
				}
			}
		}
	}()
	for i := 0; i < 200; i++ {
		must(t, Write(root, ".gitignore", big, Options{}))
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	assertNoTemp(t, root)
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".devstack-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
