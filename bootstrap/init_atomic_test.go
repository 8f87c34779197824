package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/devstack-dev/devstack/config"
	"github.com/devstack-dev/devstack/output"
)

// Issue 18, the init row: .gitignore linked out of the project left a devstack.yaml
// behind. Whichever of init's two files cannot be written, and however, init writes
// neither: the project and everything outside it stay byte for byte as they were.
func TestInitWritesBothFilesOrNeither(t *testing.T) {
	breakers := map[string]func(t *testing.T, root, outside, file string){
		"links out of the project": func(t *testing.T, root, outside, file string) {
			writeFile(t, filepath.Join(outside, "victim"), "the user's\n", 0o644)
			must(t, os.Symlink(filepath.Join(outside, "victim"), filepath.Join(root, file)))
		},
		"dangling link out of the project": func(t *testing.T, root, outside, file string) {
			must(t, os.Symlink(filepath.Join(outside, "not-yet"), filepath.Join(root, file)))
		},
		"links into .git": func(t *testing.T, root, _, file string) {
			must(t, os.MkdirAll(filepath.Join(root, ".git", "info"), 0o755))
			writeFile(t, filepath.Join(root, ".git", "info", "exclude"), "# git's\n", 0o644)
			must(t, os.Symlink(".git/info/exclude", filepath.Join(root, file)))
		},
		"is read-only": func(t *testing.T, root, _, file string) {
			writeFile(t, filepath.Join(root, file), "# mine\n", 0o444)
		},
		"is a directory": func(t *testing.T, root, _, file string) {
			must(t, os.Mkdir(filepath.Join(root, file), 0o755))
		},
	}
	for _, file := range []string{config.FileName, ".gitignore"} {
		for how, breakIt := range breakers {
			t.Run(fmt.Sprintf("%s %s", file, how), func(t *testing.T) {
				root, outside := t.TempDir(), t.TempDir()
				if file != ".gitignore" {
					writeFile(t, filepath.Join(root, ".gitignore"), "node_modules/\n", 0o644)
				}
				breakIt(t, root, outside, file)
				before, outBefore := snapshot(t, root), snapshot(t, outside)
				_, err := Init(context.Background(), InitOptions{Root: root, Force: true})
				if err == nil {
					t.Fatal("init succeeded")
				}
				if output.HintOf(err) == "" {
					t.Errorf("%v carries no fix", err)
				}
				same(t, before, snapshot(t, root))
				same(t, outBefore, snapshot(t, outside))
			})
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot is every path under root with its mode and content (or link target).
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		v := info.Mode().String()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			v += " -> " + target
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			v += " " + hex.EncodeToString(sum[:8])
		}
		out[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func same(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s was removed", p)
		} else if a != b {
			t.Errorf("%s changed: %s → %s", p, b, a)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}
