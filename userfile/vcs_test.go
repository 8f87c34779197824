package userfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// The class behind row 2 of issue 18 (a shipped .env linked into .git/config, so that
// devstack wrote git's configuration): no write lands in version-control metadata, by any
// spelling, link, `..`, depth or gitdir pointer; and files that only look alike are written.
func TestWriteNeverLandsInVCSMetadata(t *testing.T) {
	type layout struct {
		dirs  []string
		files map[string]string
	}
	base := layout{
		dirs: []string{".git/hooks", ".GIT", ".hg", ".svn", "vendor/lib/.git", "sub", "gitmeta/objects", "wtmeta", "common/objects",
			"bare.git/objects", "git", "x.git"},
		files: map[string]string{
			".git/config":              "[core]\n\tbare = false\n",
			"vendor/lib/.git/config":   "[core]\n",
			".hg/hgrc":                 "[ui]\n",
			"gitmeta/config":           "[core]\n",
			"gitmeta/HEAD":             "ref: refs/heads/main\n",
			"common/config":            "[core]\n",
			"common/HEAD":              "ref: refs/heads/main\n",
			"wtmeta/HEAD":              "ref: refs/heads/wt\n",
			"wtmeta/commondir":         "../common\n",
			"bare.git/HEAD":            "ref: refs/heads/main\n",
			"p/.git":                   "gitdir: plain\n", // points at a directory that does not look like one
			"p/plain/README":           "x\n",
			"nested/.git":              "gitdir: ../gitmeta\n", // a submodule-style pointer
			"wt/.git":                  "gitdir: ../wtmeta\n",  // a worktree, whose commondir is ../common
			"notes/.gitignore":         "x\n",
			".github/workflows/ci.yml": "on: push\n",
		},
	}
	tests := []struct {
		name  string
		links map[string]string
		path  string
		ok    bool
	}{
		{name: "the issue's row: .env links to .git/config", links: map[string]string{".env": ".git/config"}, path: ".env"},
		{name: "absolute link into .git", links: map[string]string{".env": "{{ROOT}}/.git/config"}, path: ".env"},
		{name: "dangling link to a hook that does not exist yet", links: map[string]string{".env": ".git/hooks/post-checkout"}, path: ".env"},
		{name: "dangling link through a directory that does not exist yet", links: map[string]string{".env": ".git/new/dir/file"}, path: ".env"},
		{name: "link to a directory, then a file in it", links: map[string]string{"meta": ".git"}, path: "meta/config"},
		{name: "relative link climbing into .git", links: map[string]string{"sub/.env": "../.git/config"}, path: "sub/.env"},
		{name: "chain of links", links: map[string]string{".env": "a", "a": "b", "b": ".git/config"}, path: ".env"},
		{name: "named directly", path: ".git/config"},
		{name: "dot-dot into .git", path: "sub/../.git/config"},
		{name: "upper case", path: ".GIT/config"},
		{name: "mixed case through a link", links: map[string]string{".env": ".Git/config"}, path: ".env"},
		{name: "trailing dot (Windows reads .git.)", path: ".git./config"},
		{name: "trailing space (Windows)", path: ".git /config"},
		{name: "HFS+ ignorable code point", path: ".g\u200cit/config"},
		{name: "mercurial", path: ".hg/hgrc"},
		{name: "mercurial, case", path: ".HG/hgrc"},
		{name: "subversion", path: ".svn/entries"},
		{name: "a nested repository's .git", path: "vendor/lib/.git/config"},
		{name: "link into a nested repository's .git", links: map[string]string{".env": "vendor/lib/.git/config"}, path: ".env"},
		{name: "the .git file itself", path: "nested/.git"},
		{name: "the directory a .git file points to", path: "gitmeta/config"},
		{name: "link into the directory a .git file points to", links: map[string]string{".env": "gitmeta/config"}, path: ".env"},
		{name: "a worktree's common directory", path: "common/config"},
		{name: "a worktree's own gitdir", path: "wtmeta/config"},
		{name: "through the worktree's .git file", links: map[string]string{".env": "wt/.git"}, path: ".env"},
		{name: "the directory a parent's .git file points to, by the pointer alone", path: "p/plain/config"},
		{name: "a bare repository shipped in the project", path: "bare.git/config"},
		{name: "link into a bare repository", links: map[string]string{".env": "bare.git/hooks/post-update"}, path: ".env"},
		{name: "a link that is .git", links: map[string]string{"other/.git": "../gitmeta"}, path: "gitmeta/config"},

		{name: "a .gitignore is no metadata", path: "notes/.gitignore", ok: true},
		{name: ".github is no metadata", path: ".github/workflows/ci.yml", ok: true},
		{name: "a name that only starts like it", path: ".gitkeep", ok: true},
		{name: "a name that only ends like it", path: "x.git/config", ok: true},
		{name: "git without the dot", path: "git/config", ok: true},
		{name: "a plain .env", path: ".env", ok: true},
		{name: "a link inside the project that stays out of metadata", links: map[string]string{".env": "sub/app.env"}, path: ".env", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range base.dirs {
				must(t, os.MkdirAll(filepath.Join(root, d), 0o755))
			}
			for p, data := range base.files {
				must(t, os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755))
				must(t, os.WriteFile(filepath.Join(root, p), []byte(data), 0o644))
			}
			for l, target := range tt.links {
				if target == "{{ROOT}}/.git/config" {
					target = filepath.Join(root, ".git", "config")
				}
				must(t, os.MkdirAll(filepath.Dir(filepath.Join(root, l)), 0o755))
				must(t, os.Symlink(target, filepath.Join(root, l)))
			}
			before := tree(t, root)
			err := Write(root, tt.path, []byte("URL=x\n"), Options{Mode: 0o600})
			if tt.ok {
				if err != nil {
					t.Fatalf("Write(%q): %v", tt.path, err)
				}
				return
			}
			var me *MetadataError
			if !errors.As(err, &me) {
				t.Fatalf("Write(%q) = %v; want a MetadataError", tt.path, err)
			}
			if me.Hint() == "" || me.Metadata == "" {
				t.Errorf("%v: says neither where nor how to fix", err)
			}
			if _, werr := Writable(root, tt.path); !errors.As(werr, &me) {
				t.Errorf("Writable(%q) = %v; want the same refusal as Write", tt.path, werr)
			}
			after := tree(t, root)
			for p, b := range before {
				if after[p] != b {
					t.Errorf("%s changed: %q → %q", p, b, after[p])
				}
			}
			for p := range after {
				if _, ok := before[p]; !ok {
					t.Errorf("%s was created", p)
				}
			}
		})
	}
}

// tree is every path under root with its content or link target.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[p] = "-> " + target
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = string(data)
		default:
			out[p] = "dir"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIsVCSName(t *testing.T) {
	for name, want := range map[string]bool{
		".git": true, ".GIT": true, ".gIt": true, ".hg": true, ".Svn": true, ".git.": true, ".git. .": true,
		".g\u200dit": true, "\ufeff.git": true,
		"git": false, ".gitignore": false, ".github": false, "x.git": false, ".git-credentials": false, "": false, ".": false,
	} {
		if got := isVCSName(name); got != want {
			t.Errorf("isVCSName(%q) = %v, want %v", name, got, want)
		}
	}
}
