package userfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Rule 5 of issue 18: a batch writes all its files or leaves the project exactly as it
// was, whichever file fails and whenever: at the check, or between two renames.
func TestBatchIsAllOrNothing(t *testing.T) {
	files := []string{"devstack.yaml", ".gitignore", "sub/app.env", "linked.env"}
	layout := func(t *testing.T) (root, outside string) {
		root, outside = t.TempDir(), t.TempDir()
		must(t, os.WriteFile(filepath.Join(root, ".gitignore"), []byte("node_modules/\n"), 0o640))
		must(t, os.Chmod(filepath.Join(root, ".gitignore"), 0o640))
		must(t, os.MkdirAll(filepath.Join(root, "sub"), 0o755))
		must(t, os.WriteFile(filepath.Join(root, "real.env"), []byte("KEEP=1\n"), 0o600))
		must(t, os.Symlink("real.env", filepath.Join(root, "linked.env")))
		must(t, os.MkdirAll(filepath.Join(root, ".git"), 0o755))
		return root, outside
	}
	batch := func(root string) *Batch {
		b := NewBatch(root)
		for _, f := range files {
			b.Add(f, []byte("new "+f+"\n"), Options{Mode: 0o600})
		}
		return b
	}
	// Ways a file fails its check; each must leave every file as it was.
	breakers := map[string]func(t *testing.T, root, outside, file string){
		"read-only": func(t *testing.T, root, _, file string) {
			p := filepath.Join(root, file)
			if _, err := os.Lstat(p); err != nil {
				must(t, os.WriteFile(p, []byte("mine\n"), 0o444))
			}
			real, _ := filepath.EvalSymlinks(p)
			must(t, os.Chmod(real, 0o444))
		},
		"a link out of the project": func(t *testing.T, root, outside, file string) {
			p := filepath.Join(root, file)
			os.Remove(p)
			must(t, os.Symlink(filepath.Join(outside, "victim"), p))
		},
		"a link into .git": func(t *testing.T, root, _, file string) {
			p := filepath.Join(root, file)
			os.Remove(p)
			must(t, os.Symlink(filepath.Join(root, ".git", "config"), p))
		},
		"a directory": func(t *testing.T, root, _, file string) {
			p := filepath.Join(root, file)
			os.Remove(p)
			must(t, os.Mkdir(p, 0o755))
		},
	}
	for i, file := range files {
		for how, breakIt := range breakers {
			t.Run(fmt.Sprintf("check fails at %s (%s)", file, how), func(t *testing.T) {
				root, outside := layout(t)
				breakIt(t, root, outside, file)
				before := tree(t, root)
				outBefore := tree(t, outside)
				err := batch(root).Commit()
				if err == nil {
					t.Fatal("the batch was written")
				}
				var h interface{ Hint() string }
				if !errors.As(err, &h) || h.Hint() == "" {
					t.Errorf("%v carries no fix", err)
				}
				sameTree(t, before, tree(t, root))
				sameTree(t, outBefore, tree(t, outside))
			})
		}
		t.Run(fmt.Sprintf("commit fails before renaming file %d (%s)", i+1, file), func(t *testing.T) {
			root, _ := layout(t)
			before := tree(t, root)
			beforeRename = func(p string) error {
				if p == file {
					return errors.New("injected failure")
				}
				return nil
			}
			defer func() { beforeRename = func(string) error { return nil } }()
			err := batch(root).Commit()
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("err = %v", err)
			}
			sameTree(t, before, tree(t, root))
			st, _ := os.Stat(filepath.Join(root, ".gitignore"))
			if st.Mode().Perm() != 0o640 {
				t.Errorf(".gitignore is %v after the rollback, want 0640", st.Mode().Perm())
			}
		})
	}
	t.Run("all written", func(t *testing.T) {
		root, _ := layout(t)
		if err := batch(root).Commit(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"devstack.yaml", ".gitignore", "sub/app.env", "real.env"} {
			want := "new " + f + "\n"
			if f == "real.env" {
				want = "new linked.env\n"
			}
			if got, _ := os.ReadFile(filepath.Join(root, f)); string(got) != want {
				t.Errorf("%s = %q, want %q", f, got, want)
			}
		}
		if st, _ := os.Stat(filepath.Join(root, ".gitignore")); st.Mode().Perm() != 0o640 {
			t.Errorf(".gitignore lost its mode: %v", st.Mode().Perm())
		}
		if st, _ := os.Lstat(filepath.Join(root, "linked.env")); st.Mode()&os.ModeSymlink == 0 {
			t.Error("the link was replaced by a file")
		}
		assertNoTemp(t, root)
		assertNoTemp(t, filepath.Join(root, "sub"))
	})
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s was removed", p)
		} else if a != b {
			t.Errorf("%s changed: %q → %q", p, b, a)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}
